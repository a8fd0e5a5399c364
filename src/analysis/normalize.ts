/**
 * Normalization for matching: NFKC width folding (`２０２４` → `2024`, `ＡＢＣ` → `ABC`), lowercase,
 * and optionally traditional → simplified Chinese, one code point at a time so that every code
 * unit of the normalized text still knows which original code point it came from.
 *
 * Why per code point and not a phrase converter: offsets must stay exact, and index and query go
 * through the same folding, so a character table is enough to make `雷鋒` and `雷锋` the same term.
 */
import TSCharacters from 'opencc-js/dict/TSCharacters'
import TWVariantsRev from 'opencc-js/dict/TWVariantsRev'
import HKVariantsRev from 'opencc-js/dict/HKVariantsRev'

export interface NormalizeOptions {
  /** Fold traditional characters to simplified ones (default true). */
  traditionalToSimplified: boolean
}

export interface NormalizedText {
  /** The text used for segmentation and matching. */
  text: string
  /** For each code unit of `text`: start offset (UTF-16) in the original of the code point it came from. */
  originStart: Uint32Array
  /** For each code unit of `text`: end offset in the original of the code point it came from. */
  originEnd: Uint32Array
}

let t2sTable: Map<number, string> | undefined

/** Character table traditional → simplified, built once from OpenCC's dictionaries (variants first). */
function traditionalToSimplifiedTable(): Map<number, string> {
  if (t2sTable) return t2sTable
  const table = new Map<number, string>()
  const single = (s: string) => s.length > 0 && s.length === String.fromCodePoint(s.codePointAt(0)!).length
  const load = (dict: string) => {
    for (const entry of dict.split('|')) {
      const [from, to] = entry.split(' ')
      if (from && to && single(from) && single(to) && from !== to) table.set(from.codePointAt(0)!, to)
    }
  }
  // Regional variants (台/港 forms) → OpenCC standard traditional, then traditional → simplified.
  const variants = new Map<number, string>()
  for (const dict of [TWVariantsRev, HKVariantsRev]) {
    for (const entry of (dict as string).split('|')) {
      const [from, to] = entry.split(' ')
      if (from && to && single(from) && single(to)) variants.set(from.codePointAt(0)!, to)
    }
  }
  load(TSCharacters as string)
  for (const [cp, standard] of variants) {
    const simplified = table.get(standard.codePointAt(0)!) ?? standard
    if (simplified !== String.fromCodePoint(cp)) table.set(cp, simplified)
  }
  t2sTable = table
  return table
}

/** Version of the folding rules; part of the analyzer fingerprint stored in index files. */
export const NORMALIZER_VERSION = 1

export function normalize(input: string, options: NormalizeOptions): NormalizedText {
  const t2s = options.traditionalToSimplified ? traditionalToSimplifiedTable() : undefined
  let capacity = input.length + 16
  let originStart = new Uint32Array(capacity)
  let originEnd = new Uint32Array(capacity)
  const parts: string[] = []
  let out = 0

  const emit = (s: string, start: number, end: number) => {
    if (out + s.length > capacity) {
      capacity = (out + s.length) * 2
      const ns = new Uint32Array(capacity)
      ns.set(originStart)
      originStart = ns
      const ne = new Uint32Array(capacity)
      ne.set(originEnd)
      originEnd = ne
    }
    for (let k = 0; k < s.length; k++) {
      originStart[out] = start
      originEnd[out] = end
      out++
    }
    parts.push(s)
  }

  for (let i = 0; i < input.length; ) {
    const cp = input.codePointAt(i)!
    const width = cp > 0xffff ? 2 : 1
    if (cp < 0x80) {
      // ASCII fast path: only case folding applies.
      emit(cp >= 0x41 && cp <= 0x5a ? String.fromCharCode(cp + 32) : input[i]!, i, i + 1)
    } else if (cp >= 0xd800 && cp <= 0xdfff) {
      // A lone surrogate carries no text: keep the offsets, match nothing.
      emit(' ', i, i + 1)
    } else if (cp >= 0x4e00 && cp <= 0x9fff) {
      // CJK Unified Ideographs are NFKC-stable and have no case: only the T→S table applies.
      emit((t2s && t2s.get(cp)) || String.fromCharCode(cp), i, i + 1)
    } else {
      const original = width === 2 ? input.slice(i, i + 2) : input[i]!
      let folded = original.normalize('NFKC').toLowerCase()
      if (t2s) {
        let mapped = ''
        for (const ch of folded) mapped += t2s.get(ch.codePointAt(0)!) ?? ch
        folded = mapped
      }
      // NFKC can map a symbol to nothing (e.g. some format controls): keep a space so positions stay sane.
      emit(folded.length > 0 ? folded : ' ', i, i + width)
    }
    i += width
  }
  return { text: parts.join(''), originStart: originStart.subarray(0, out), originEnd: originEnd.subarray(0, out) }
}

/** Normalize a short string for comparison only (no offsets), e.g. a query term or a user word. */
export function normalizeTerm(input: string, options: NormalizeOptions): string {
  return normalize(input, options).text
}
