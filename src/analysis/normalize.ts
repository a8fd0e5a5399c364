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
  /**
   * For each code unit of `text`: start offset (UTF-16) in the original of the code point it came
   * from. Undefined when folding kept every length, so offsets are the identity (the usual case).
   */
  originStart?: Uint32Array
  /** For each code unit of `text`: end offset in the original of the code point it came from. */
  originEnd?: Uint32Array
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
  // A variant table maps regional forms to OpenCC's standard traditional form, and lists some
  // characters that are also ordinary simplified ones (么 → 幺): never fold a simplified character.
  const simplifiedForms = new Set(table.values())
  for (const [cp, standard] of variants) {
    if (simplifiedForms.has(String.fromCodePoint(cp))) continue
    const simplified = table.get(standard.codePointAt(0)!) ?? standard
    if (simplified !== String.fromCodePoint(cp)) table.set(cp, simplified)
  }
  t2sTable = table
  return table
}

/** Version of the folding rules; part of the analyzer fingerprint stored in index files. */
export const NORMALIZER_VERSION = 1

interface Folder {
  /**
   * For every UTF-16 unit: what it folds to when that is a single unit, else COMPLEX (surrogates,
   * expansions like ㎡ → m2). One table read per character on the fast path.
   */
  units: Uint16Array
  cache: Map<string, string>
  t2s: Map<number, string> | undefined
}

const COMPLEX = 0xffff
/**
 * Chinese punctuation that only ever separates words (，。、“”《》…) is left as it is: its folded
 * form could not change a term. Full-width joiners (－ ． ＇ ＆ ＿), letters and digits still fold.
 */
const SEPARATORS = /[\u3001-\u303f\u2018-\u201f\u00b7\u2014\u2026\uff01-\uff05\uff08-\uff0c\uff0f\uff1a-\uff20\uff3b-\uff3e\uff40\uff5b-\uff65]/

const folders = new Map<boolean, Folder>()

function folderFor(options: NormalizeOptions): Folder {
  let folder = folders.get(options.traditionalToSimplified)
  if (!folder) {
    const t2s = options.traditionalToSimplified ? traditionalToSimplifiedTable() : undefined
    folder = { units: new Uint16Array(0x10000), cache: new Map(), t2s }
    // Built once per process (~50 ms): every BMP unit's fold, computed the slow way.
    for (let c = 0; c < 0x10000; c++) {
      if ((c >= 0xd800 && c <= 0xdfff) || c === COMPLEX) folder.units[c] = COMPLEX
      else if (c < 0x80) folder.units[c] = c >= 0x41 && c <= 0x5a ? c + 32 : c
      else if (SEPARATORS.test(String.fromCharCode(c))) folder.units[c] = c
      else {
        const folded = foldCodePoint(String.fromCharCode(c), folder, false)
        folder.units[c] = folded.length === 1 ? folded.charCodeAt(0) : COMPLEX
      }
    }
    folders.set(options.traditionalToSimplified, folder)
  }
  return folder
}

/** Fold one code point: NFKC, lowercase, traditional → simplified (cached for astral ones). */
function foldCodePoint(ch: string, folder: Folder, remember = true): string {
  const cached = folder.cache.get(ch)
  if (cached !== undefined) return cached
  const cp = ch.codePointAt(0)!
  let folded: string
  if (cp >= 0xd800 && cp <= 0xdfff) {
    // A lone surrogate carries no text: keep its offset, match nothing.
    folded = ' '
  } else if (cp >= 0x4e00 && cp <= 0x9fff) {
    // CJK Unified Ideographs are NFKC-stable and have no case.
    folded = folder.t2s?.get(cp) ?? ch
  } else {
    folded = ch.normalize('NFKC').toLowerCase()
    if (folder.t2s) {
      let mapped = ''
      for (const c of folded) mapped += folder.t2s.get(c.codePointAt(0)!) ?? c
      folded = mapped
    }
    // NFKC maps a few symbols to nothing: keep a space so positions and offsets stay sane.
    if (folded.length === 0) folded = ' '
  }
  if (remember && folder.cache.size < 100_000) folder.cache.set(ch, folded)
  return folded
}

const UTF16 = new TextDecoder('utf-16le')

export function normalize(input: string, options: NormalizeOptions): NormalizedText {
  const folder = folderFor(options)
  const { units } = folder
  // Fast path: fold unit by unit through the table. If every fold keeps its length (almost
  // always), offsets are the identity and no offset tables are needed.
  const n = input.length
  const out = new Uint16Array(n)
  let changed = false
  for (let i = 0; i < n; i++) {
    const c = input.charCodeAt(i)
    const f = units[c]!
    if (f !== COMPLEX) {
      out[i] = f
      if (f !== c) changed = true
      continue
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = input.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        const pair = input.slice(i, i + 2)
        const folded = foldCodePoint(pair, folder)
        // A pair must fold to one astral code point (two units) to keep offsets the identity.
        if (folded.length !== 2 || folded.codePointAt(0)! <= 0xffff) return normalizeWithOffsets(input, folder)
        out[i] = folded.charCodeAt(0)
        out[i + 1] = folded.charCodeAt(1)
        if (folded !== pair) changed = true
        i++
        continue
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      out[i] = 0x20 // a lone surrogate becomes a space, one unit for one
      changed = true
      continue
    }
    return normalizeWithOffsets(input, folder)
  }
  return { text: changed ? UTF16.decode(out) : input }
}

/** Slow path: the folded text plus, per folded code unit, the original code point's offsets. */
function normalizeWithOffsets(input: string, folder: Folder): NormalizedText {
  const parts: string[] = []
  const starts: number[] = []
  const ends: number[] = []
  for (let i = 0; i < input.length; ) {
    const cp = input.codePointAt(i)!
    const width = cp > 0xffff ? 2 : 1
    const unit = width === 1 ? folder.units[cp]! : COMPLEX
    const folded = unit !== COMPLEX ? String.fromCharCode(unit) : foldCodePoint(input.slice(i, i + width), folder)
    parts.push(folded)
    for (let k = 0; k < folded.length; k++) {
      starts.push(i)
      ends.push(i + width)
    }
    i += width
  }
  return { text: parts.join(''), originStart: Uint32Array.from(starts), originEnd: Uint32Array.from(ends) }
}
