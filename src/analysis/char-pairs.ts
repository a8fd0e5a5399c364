/**
 * Adjacent Han character pairs of folded text: `ab` for every two Han characters next to each
 * other, whatever the segmenter made of them (inside a word, across two words, around a stopword).
 * A word is in a text only if each of its adjacent pairs is, so the index keeps the set of pairs
 * its documents hold and a query word with a pair outside it is known absent without reading
 * postings (query/unknown-words.ts). BMP characters only: astral ones are simply not checked.
 */

/** The pair key of code units `a`, `b` (both Han: see `isPairChar`): `a · 2¹⁶ + b`, below 2³². */
export function pairKey(a: number, b: number): number {
  return a * 0x10000 + b
}

/** The key of the pair starting at code unit `i` of `text`, or -1 when either unit is not a Han character. */
export function pairKeyAt(text: string, i: number): number {
  const a = text.charCodeAt(i)
  const b = text.charCodeAt(i + 1)
  return isPairChar(a) && isPairChar(b) ? pairKey(a, b) : -1
}

/** The distinct pair keys of folded `texts` (a document's fields), in first-seen order. */
export function hanPairs(texts: readonly string[]): Uint32Array {
  let total = 0
  for (const text of texts) total += Math.max(0, text.length - 1)
  const keys = new Uint32Array(total)
  let n = 0
  for (const text of texts) {
    let prev = 0
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (!isPairChar(c)) prev = 0
      else {
        if (prev !== 0) keys[n++] = pairKey(prev, c)
        prev = c
      }
    }
  }
  return distinct(keys, n)
}

/** The distinct keys of several key lists (a document's fields), in first-seen order. */
export function distinctPairs(lists: readonly Uint32Array[]): Uint32Array {
  if (lists.length === 1) return lists[0]!
  let total = 0
  for (const list of lists) total += list.length
  const keys = new Uint32Array(total)
  let n = 0
  for (const list of lists) {
    keys.set(list, n)
    n += list.length
  }
  return distinct(keys, n)
}

/** Kept between calls (documents are analyzed one after another); a larger one is made for a huge text. */
let scratch = new Uint32Array(1 << 12)
const SCRATCH_MAX = 1 << 16

/**
 * The distinct values of `keys[0 .. n)` (pair keys are never 0: it marks a free slot), first-seen order, through
 * an open-addressing table: sorting each document's pairs instead costs ~2% of a build.
 */
function distinct(keys: Uint32Array, n: number): Uint32Array {
  let size = 1 << 12
  while (size < n * 2) size *= 2
  if (size > scratch.length && size <= SCRATCH_MAX) scratch = new Uint32Array(size)
  const table = size <= scratch.length ? scratch : new Uint32Array(size)
  const bits = 31 - Math.clz32(table.length)
  const mask = table.length - 1
  let m = 0
  for (let i = 0; i < n; i++) {
    const key = keys[i]!
    let h = Math.imul(key, 0x9e3779b1) >>> (32 - bits)
    while (table[h] !== 0 && table[h] !== key) h = (h + 1) & mask
    if (table[h] === 0) {
      table[h] = key
      keys[m++] = key
    }
  }
  // Clear the slots used, so the next call finds the table empty without a full fill.
  if (table === scratch) {
    for (let i = 0; i < m; i++) {
      let h = Math.imul(keys[i]!, 0x9e3779b1) >>> (32 - bits)
      while (table[h] !== keys[i]) h = (h + 1) & mask
      table[h] = 0
    }
  }
  return keys.slice(0, m)
}

/** BMP Han ideographs (the ranges query/char-index.ts calls Han, without the astral planes). */
function isPairChar(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) || c === 0x3007
}
