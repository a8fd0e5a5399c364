/**
 * The analyzer: one chain for documents and queries.
 *
 *   1. normalize   NFKC width folding, lowercase, traditional → simplified (offset map kept)
 *   2. split runs  Han runs → segmenter; Latin/digit runs → word tokenizer; the rest separates
 *   3. segment     index: jieba search mode (sub-words at the parent's position); query: precise
 *   4. filter      stopwords take a position but emit no term; then the caller's token filters
 *                  (token-filter.ts), which may rewrite, drop or add terms at the same position
 *
 * Token offsets are UTF-16 code units into the ORIGINAL text: `text.slice(start, end)` is the
 * surface form, whatever folding produced `term`.
 */
import { normalize, NORMALIZER_VERSION, type NormalizeOptions } from './normalize.js'
import type { Segmenter } from './segmenter.js'
import { hanPairs } from './char-pairs.js'
import { applyFilters, type TokenFilter } from './token-filter.js'

export interface Token {
  term: string
  start: number
  end: number
  position: number
}

export type AnalyzeMode = 'index' | 'query'

export interface AnalyzerConfig {
  segmenter: Segmenter
  normalize: NormalizeOptions
  stopwords: readonly string[]
  /** Words that must come out as one token (matched before the segmenter sees the text). */
  userWords: readonly string[]
  /** Token filters after the stopwords, in order (default none). */
  filters?: readonly TokenFilter[]
}

const HAN_CHAR = String.raw`[\p{Script=Han}\u3005\u3007]`
/** Letters/digits/marks that are not Han. */
const WORD_CHAR = String.raw`[[\p{L}\p{N}\p{M}]--\p{Script=Han}]`
/**
 * One pass over the text finds every run: group 1 a Han run, group 2 a word of letters/digits
 * with inner joiners (COVID-19, 3.14, o'neil, iphone15). Everything between runs separates.
 */
const RUNS = new RegExp(String.raw`(${HAN_CHAR}+)|(${WORD_CHAR}+(?:[\-_.'’\&]${WORD_CHAR}+)*)`, 'gv')
/** Inside a Latin word: split on joiners and letter↔digit changes (iphone15 → iphone, 15). */
const WORD_PARTS = /\p{L}[\p{L}\p{M}]*|\p{N}+/gu

type Emit = (term: string, from: number, to: number, pos: number) => void

/** Terms of one text for indexing: parallel arrays, no offsets (the index does not store them). */
export interface TermStream {
  terms: string[]
  positions: number[]
  /** Number of positions used (last position + 1). */
  length: number
  /** Distinct adjacent Han character pairs of the folded text (see char-pairs.ts). */
  pairs: Uint32Array
}

export class Analyzer {
  readonly config: AnalyzerConfig
  private readonly stopwords: Set<string>
  private readonly userWords: Set<string>
  private readonly longestUserWord: number
  private stopChars?: Set<number>
  private readonly filters: readonly TokenFilter[]

  constructor(config: AnalyzerConfig) {
    this.config = config
    this.stopwords = new Set(config.stopwords.map((w) => normalize(w, config.normalize).text))
    this.userWords = new Set(config.userWords.map((w) => normalize(w, config.normalize).text).filter((w) => w.length > 0))
    this.longestUserWord = Math.max(0, ...[...this.userWords].map((w) => w.length))
    this.filters = config.filters ?? []
  }

  /** The chain, stage by stage, as names (for documentation and inspection). */
  get chain(): string[] {
    return [
      'normalize (NFKC width, lowercase)',
      ...(this.config.normalize.traditionalToSimplified ? ['traditional → simplified'] : []),
      `segment (${this.config.segmenter.name})`,
      'stopwords',
      ...this.filters.map((f) => f.name),
    ]
  }

  /** Whether caller token filters run (they cannot be sent to build workers). */
  get hasCustomFilters(): boolean {
    return this.filters.length > 0
  }

  /** What an index file must match to be searched with this analyzer. */
  fingerprint(): AnalyzerFingerprint {
    const { segmenter } = this.config
    return {
      segmenter: segmenter.name,
      segmenterVersion: segmenter.version,
      dictionaryHash: segmenter.dictionaryHash,
      normalizerVersion: NORMALIZER_VERSION,
      traditionalToSimplified: this.config.normalize.traditionalToSimplified,
      stopwords: [...this.stopwords].sort(),
      userWords: [...this.userWords].sort(),
      // Only when there are filters: files written before filters existed stay comparable.
      ...(this.filters.length > 0 ? { filters: this.filters.map((f) => f.name) } : {}),
    }
  }

  isStopword(term: string): boolean {
    return this.stopwords.has(term)
  }

  /** Characters of the (normalized) stopwords: text there may have taken a position and no term. */
  stopwordChars(): ReadonlySet<number> {
    return (this.stopChars ??= new Set([...this.stopwords].flatMap((w) => [...w].map((ch) => ch.codePointAt(0)!))))
  }

  /** Normalize a single term as the analyzer would (for highlighting and term lookups). */
  normalizeTerm(text: string): string {
    return normalize(text, this.config.normalize).text
  }

  /** Tokens with offsets into the original text (for queries, highlighting, and inspection). */
  analyze(text: string, mode: AnalyzeMode): Token[] {
    const norm = normalize(text, this.config.normalize)
    const tokens: Token[] = []
    const { originStart, originEnd } = norm
    this.scan(norm.text, mode, (term, from, to, position) => {
      if (this.stopwords.has(term)) return
      const start = originStart ? originStart[from]! : from
      const end = originStart ? originEnd![to - 1]! : to
      if (this.filters.length === 0) tokens.push({ term, start, end, position })
      else applyFilters(this.filters, term, (t) => tokens.push({ term: t, start, end, position }))
    })
    return tokens
  }

  /** Index-mode terms and positions only: the hot path of indexing skips offset bookkeeping. */
  analyzeTerms(text: string): TermStream {
    const terms: string[] = []
    const positions: number[] = []
    let length = 0
    const folded = normalize(text, this.config.normalize).text
    this.scan(folded, 'index', (term, _from, _to, position) => {
      if (position >= length) length = position + 1
      if (this.stopwords.has(term)) return
      if (this.filters.length === 0) {
        terms.push(term)
        positions.push(position)
      } else {
        applyFilters(this.filters, term, (t) => {
          terms.push(t)
          positions.push(position)
        })
      }
    })
    return { terms, positions, length, pairs: hanPairs([folded]) }
  }

  /** Walk the runs of normalized text `s`, emitting every token (stopwords included). */
  private scan(s: string, mode: AnalyzeMode, emit: Emit): void {
    let position = 0
    const runs = new RegExp(RUNS)
    for (let m = runs.exec(s); m; m = runs.exec(s)) {
      const i = m.index
      if (m[1] !== undefined) {
        position = this.segmentHan(m[1], i, mode, position, emit)
        continue
      }
      const w = m[0]
      emit(w, i, i + w.length, position)
      if (mode === 'index') {
        // Parts of a compound word (covid-19 → covid, 19) share its position, so `covid` finds it.
        const parts = w.match(WORD_PARTS)
        if (parts && parts.length > 1) {
          let from = 0
          for (const part of parts) {
            const at = w.indexOf(part, from)
            emit(part, i + at, i + at + part.length, position)
            from = at + part.length
          }
        }
      }
      position++
    }
  }

  /** Segment one Han run starting at `offset` in the normalized text; returns the next position. */
  private segmentHan(
    run: string,
    offset: number,
    mode: AnalyzeMode,
    position: number,
    push: Emit,
  ): number {
    // User words are cut out first (longest match, left to right); the gaps go to the segmenter.
    let gapStart = 0
    if (this.longestUserWord > 0) {
      for (let i = 0; i < run.length; ) {
        let matched = 0
        for (let len = Math.min(this.longestUserWord, run.length - i); len >= 2; len--) {
          if (this.userWords.has(run.slice(i, i + len))) {
            matched = len
            break
          }
        }
        if (matched > 0) {
          position = this.segmentPiece(run.slice(gapStart, i), offset + gapStart, mode, position, push)
          push(run.slice(i, i + matched), offset + i, offset + i + matched, position++)
          i += matched
          gapStart = i
        } else i++
      }
    }
    return this.segmentPiece(run.slice(gapStart), offset + gapStart, mode, position, push)
  }

  private segmentPiece(
    piece: string,
    offset: number,
    mode: AnalyzeMode,
    position: number,
    push: Emit,
  ): number {
    if (piece.length === 0) return position
    const { segmenter } = this.config
    if (mode === 'query') {
      let at = 0
      for (const word of segmenter.cut(piece)) {
        push(word, offset + at, offset + at + word.length, position++)
        at += word.length
      }
      return position
    }
    // Search mode: groups of [sub-words…, parent]. Parents tile the piece; a sub-word lies inside
    // the parent that closes its group and is emitted at that parent's position.
    const words = segmenter.cutForSearch(piece)
    const found: Array<[string, number, number, number]> = []
    let at = 0
    let groupStart = 0
    let pos = position
    for (let k = 0; k < words.length; k++) {
      const word = words[k]!
      if (!isParent(words, k, groupStart, piece, at)) continue
      for (let g = groupStart; g < k; g++) {
        const sub = words[g]!
        const inner = word.indexOf(sub)
        if (inner >= 0) found.push([sub, offset + at + inner, offset + at + inner + sub.length, pos])
      }
      found.push([word, offset + at, offset + at + word.length, pos++])
      at += word.length
      groupStart = k + 1
    }
    if (at !== piece.length || groupStart !== words.length) {
      // The segmenter's output did not have the expected layout: fall back to precise mode.
      return this.segmentPiece(piece, offset, 'query', position, push)
    }
    for (const [term, from, to, p] of found) push(term, from, to, p)
    return pos
  }
}

/**
 * Is `words[k]` the parent closing the group that began at `groupStart`? It must start at the
 * cursor, every word since the group began must be a shorter substring of it, and no later word
 * that also starts at the cursor may be a longer parent containing it (then `words[k]` is a sub-word).
 */
function isParent(words: string[], k: number, groupStart: number, piece: string, at: number): boolean {
  const word = words[k]!
  if (!piece.startsWith(word, at)) return false
  for (let g = groupStart; g < k; g++) {
    const sub = words[g]!
    if (sub.length >= word.length || !word.includes(sub)) return false
  }
  // Look ahead: a later word that starts at the cursor, is longer, and contains everything since
  // the group began is the real parent. Groups are short, so the window is bounded.
  // Only 2- and 3-character words are ever sub-words (jieba's search mode emits no others).
  if (word.length < 2 || word.length > 3) return true
  const window = piece.slice(at, at + 64)
  for (let j = k + 1; j < words.length; j++) {
    const next = words[j]!
    if (next.length > 3 && !window.startsWith(next)) break
    if (!window.includes(next)) break
    if (next.length > word.length && window.startsWith(next)) {
      let contained = true
      for (let g = groupStart; g < j && contained; g++) {
        const sub = words[g]!
        contained = sub.length < next.length && next.includes(sub)
      }
      if (contained) return false
    }
  }
  return true
}

export interface AnalyzerFingerprint {
  segmenter: string
  segmenterVersion: string
  dictionaryHash: string
  normalizerVersion: number
  traditionalToSimplified: boolean
  stopwords: string[]
  userWords: string[]
  /** Names of the caller's token filters, when any. */
  filters?: string[]
}
