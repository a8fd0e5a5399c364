/**
 * The index's Han vocabulary by pinyin, for the `query.pinyin` option: a Latin query word that is
 * the pinyin (`leifeng`) or the initials (`lf`) of index terms is searched as those terms (雷锋),
 * so matches, scores and highlights are those of the Han words themselves. Nothing is added to the
 * postings or the file: the keys are derived from the vocabulary, ~7 µs per term, once per term
 * and process (xwlb's 101k terms: ~0.6 s on first use, or at `warm()`).
 */
import { MAX_PINYIN_WORD, pinyinKeys, type PinyinKeys } from '../analysis/pinyin.js'
import type { PostingsStore } from '../index/postings.js'
import { isHan } from './char-index.js'

/** A key shorter than this is no query (`l` would stand for thousands of words). */
const MIN_KEY = 2

export interface PinyinMatch {
  term: string
  /** Live documents holding the term. */
  df: number
}

export class PinyinVocabulary {
  /** Han term → its keys (null: pinyin-pro has no reading), kept across freezes so a term is converted once. */
  private readonly keyCache = new Map<string, PinyinKeys | null>()
  private frozen?: unknown
  private newSeen = 0
  private full = new Map<string, string[]>()
  /** Full keys of words of two or more characters: the pieces run-on pinyin is cut into. */
  private wordKeys = new Set<string>()
  private initials = new Map<string, string[]>()
  private sortedKeys?: string[]

  /** Follow the index: rebuilt from cached keys after a freeze, new terms added as they appear. */
  refresh(postings: PostingsStore): this {
    const frozen = postings.frozenPostings
    if (frozen !== this.frozen) {
      this.frozen = frozen
      this.full = new Map()
      this.wordKeys = new Set()
      this.initials = new Map()
      this.newSeen = 0
      for (const term of frozen.terms) this.addTerm(term)
    }
    const fresh = postings.termsSinceFreeze
    for (; this.newSeen < fresh.length; this.newSeen++) this.addTerm(fresh[this.newSeen]!)
    return this
  }

  /** Is `key` the full pinyin or the initials of some index term? */
  has(key: string): boolean {
    return this.full.has(key) || this.initials.has(key)
  }

  /** Is `key` the initials of some index term and the full pinyin of none (`sy`, `gd`)? */
  isInitialsOnly(key: string): boolean {
    return this.initials.has(key) && !this.full.has(key)
  }

  /** Is `key` the full pinyin of some index term? */
  hasFull(key: string): boolean {
    return this.full.has(key)
  }

  /**
   * The live terms typed as `key` (full pinyin first, then initials), most documents first (ties:
   * code point order), at most `limit`.
   */
  lookup(key: string, postings: PostingsStore, limit: number): PinyinMatch[] {
    const seen = new Set<string>()
    const found: PinyinMatch[] = []
    for (const terms of [this.full.get(key), this.initials.get(key)]) {
      for (const term of terms ?? []) {
        if (seen.has(term)) continue
        seen.add(term)
        const df = postings.docFreq(term)
        if (df > 0) found.push({ term, df })
      }
    }
    return found.sort((a, b) => b.df - a.df || (a.term < b.term ? -1 : 1)).slice(0, limit)
  }

  /** The keys of a Han word or phrase (cached), or undefined when it has no reading. */
  keysOf(text: string): PinyinKeys | undefined {
    return this.keys(text)
  }

  /**
   * `letters` cut into the fewest full-pinyin keys of the vocabulary's words of two or more
   * characters (`leifengjingshen` → leifeng, jingshen; never single syllables, which would read
   * `zhongqing` as 中 情); undefined when no cut covers it. Ties: the longer first piece.
   */
  split(letters: string): string[] | undefined {
    const n = letters.length
    if (n < MIN_KEY * 2 || n > 64) return undefined
    // pieces[i]: fewest keys covering letters[i..n); next[i]: where the first of them ends.
    const pieces = new Array<number>(n + 1).fill(Infinity)
    const next = new Array<number>(n + 1).fill(-1)
    pieces[n] = 0
    for (let i = n - 1; i >= 0; i--) {
      for (let end = Math.min(n, i + MAX_PINYIN_WORD * 6); end >= i + MIN_KEY; end--) {
        if (pieces[end]! + 1 < pieces[i]! && this.wordKeys.has(letters.slice(i, end))) {
          pieces[i] = pieces[end]! + 1
          next[i] = end
        }
      }
    }
    if (!Number.isFinite(pieces[0]!) || pieces[0]! < 2) return undefined
    const out: string[] = []
    for (let i = 0; i < n; i = next[i]!) out.push(letters.slice(i, next[i]!))
    return out
  }

  /** Every full key in code point order (for prefix search), built on first use after a change. */
  keysInOrder(): readonly string[] {
    return (this.sortedKeys ??= [...this.full.keys()].sort())
  }

  /** Index terms whose full pinyin is exactly `key`, as stored (no document counts). */
  termsOfFull(key: string): readonly string[] {
    return this.full.get(key) ?? []
  }

  private keys(term: string): PinyinKeys | undefined {
    // Only words that start with a Han character can have keys: others cost no conversion, no entry.
    if (!isHan(term.codePointAt(0) ?? 0)) return undefined
    let keys = this.keyCache.get(term)
    if (keys === undefined) {
      keys = pinyinKeys(term) ?? null
      this.keyCache.set(term, keys)
    }
    return keys ?? undefined
  }

  private addTerm(term: string): void {
    const keys = this.keys(term)
    if (!keys) return
    this.sortedKeys = undefined
    if (keys.full.length >= MIN_KEY) push(this.full, keys.full, term)
    // One character's initial is a single letter: no key (see MIN_KEY).
    if (keys.initials.length >= MIN_KEY) {
      push(this.initials, keys.initials, term)
      this.wordKeys.add(keys.full)
    }
  }
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}
