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

/** The distinct pair keys of folded `texts` (a document's fields), ascending. */
export function hanPairs(texts: readonly string[]): Uint32Array {
  let total = 0
  for (const text of texts) total += Math.max(0, text.length - 1)
  const keys = new Uint32Array(total)
  let n = 0
  for (const text of texts) {
    for (let i = 0; i + 1 < text.length; i++) {
      const key = pairKeyAt(text, i)
      if (key >= 0) keys[n++] = key
    }
  }
  const sorted = keys.subarray(0, n).sort()
  let distinct = 0
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i]!
  return sorted.slice(0, distinct)
}

/** The union of ascending distinct key lists, ascending and distinct. */
export function unionPairs(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (b.length === 0) return a
  if (a.length === 0) return b
  const out = new Uint32Array(a.length + b.length)
  let i = 0
  let j = 0
  let n = 0
  while (i < a.length && j < b.length) {
    const x = a[i]!
    const y = b[j]!
    out[n++] = x <= y ? x : y
    if (x <= y) i++
    if (y <= x) j++
  }
  while (i < a.length) out[n++] = a[i++]!
  while (j < b.length) out[n++] = b[j++]!
  return out.slice(0, n)
}

/** BMP Han ideographs (the ranges query/char-index.ts calls Han, without the astral planes). */
function isPairChar(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) || c === 0x3007
}
