/**
 * Suggestions as you type (`engine.suggest`): completions of a prefix from the words and phrases
 * of the index's titles — each title's words of two or more characters (the longest term at each
 * position) and runs of two or three of them (乡村 振兴 → 乡村振兴) — ranked by the number of titles that use them, then by
 * the documents that hold them. Han prefixes match the text (`乡村` → 乡村振兴, 乡村旅游); with the
 * `query.pinyin` option, letters match the pinyin (`xiangc`) and the initials (`xczx`).
 *
 * Built from the title field's positions (frozen lists read in place) on first use and again on
 * the first use after the index changed (~0.1–0.3 s on 20k articles; `warm()` builds it ahead);
 * a query is binary searches in sorted arrays and a scan of the matching range, at most `MAX_SCAN`.
 */
import type { InvertedIndex } from '../index/inverted-index.js'
import { lowerBound } from '../index/sorted-search.js'
import type { PinyinVocabulary } from './pinyin-vocabulary.js'

export interface Suggestion {
  /** The completion (normalized text: simplified, lowercase). */
  text: string
  /** Titles that use it. */
  titles: number
  /** Live documents holding it (a phrase: those whose titles use it). */
  documents: number
}

/** Entries of one matching range looked at, at most (a one-character prefix may match thousands). */
export const MAX_SCAN = 5_000
/** The most completions one call returns (`suggest`'s limit is at most this). */
export const MAX_LIMIT = 100
/** A phrase of several words is suggested once this many titles use it. */
const MIN_PHRASE_TITLES = 2
const MAX_RUN = 3
const HAN = /^[\p{Script=Han}\u3007]/u

interface Entry {
  text: string
  titles: number
  documents: number
}

/** A sorted key column over entries (text, full pinyin or initials). */
interface KeyColumn {
  keys: string[]
  entries: Uint32Array
}

export class Suggester {
  private generation = -1
  private index?: InvertedIndex
  private entries: Entry[] = []
  private byText: KeyColumn = { keys: [], entries: new Uint32Array(0) }
  private byPinyin: KeyColumn = { keys: [], entries: new Uint32Array(0) }
  private byInitials: KeyColumn = { keys: [], entries: new Uint32Array(0) }
  /** Per first character (of text, pinyin or initials), the best entries in rank order: a first keystroke scans nothing. */
  private byFirst = new Map<string, number[]>()

  constructor(
    private readonly field: number,
    private readonly pinyin?: PinyinVocabulary,
  ) {}

  /** Follow the index: rebuilt when it changed since the last build. */
  refresh(index: InvertedIndex): this {
    if (this.index === index && this.generation === index.generation) return this
    this.index = index
    this.generation = index.generation
    this.build(index)
    return this
  }

  /** The best `limit` completions of a normalized prefix (text, or with pinyin, letters). */
  suggest(prefix: string, limit: number): Suggestion[] {
    const compact = prefix.replace(/\s+/gu, '')
    if (compact === '' || limit <= 0) return []
    if ([...compact].length === 1) return (this.byFirst.get(compact) ?? []).slice(0, limit).map((e) => suggestion(this.entries[e]!))
    const found = new Set<number>()
    const columns = this.pinyin && /^[a-z]+$/.test(compact) ? [this.byText, this.byPinyin, this.byInitials] : [this.byText]
    for (const column of columns) {
      const key = column === this.byText ? prefix.trim() : compact
      for (const e of range(column, key)) found.add(e)
    }
    return [...found]
      .map((e) => this.entries[e]!)
      .sort(byRank)
      .slice(0, limit)
      .map(suggestion)
  }

  private build(index: InvertedIndex): void {
    // The words of each title: the longest term at each position (sub-words share their parent's).
    const words = new Map<number, Map<number, string>>()
    index.postings.eachPositionInField(this.field, (doc) => index.isLive(doc), (term, doc, position) => {
      let title = words.get(doc)
      if (!title) words.set(doc, (title = new Map()))
      const held = title.get(position)
      if (held === undefined || term.length > held.length) title.set(position, term)
    })
    const titles = new Map<string, number>()
    // Each text's words, for its pinyin: the words' own readings joined (polyphones by word).
    const wordsOf = new Map<string, string[]>()
    for (const title of words.values()) {
      const positions = [...title.keys()].sort((a, b) => a - b)
      const seen = new Set<string>()
      for (let i = 0; i < positions.length; i++) {
        let text = ''
        for (let n = 0; n < MAX_RUN && i + n < positions.length; n++) {
          // A run is consecutive positions (a stopword's gap ends it) of words of two or more
          // characters (乡村振兴新 is a cut-off, not a phrase).
          if (n > 0 && positions[i + n] !== positions[i]! + n) break
          const word = title.get(positions[i + n]!)!
          if ([...word].length < 2) break
          text = n === 0 ? word : joinWords(text, word)
          if (this.pinyin && !wordsOf.has(text)) wordsOf.set(text, title === undefined ? [] : positions.slice(i, i + n + 1).map((p) => title.get(p)!))
          if (!seen.has(text)) {
            seen.add(text)
            titles.set(text, (titles.get(text) ?? 0) + 1)
          }
        }
      }
    }
    const { postings } = index
    this.entries = []
    for (const [text, count] of titles) {
      const single = postings.docFreq(text)
      if (single === 0 && count < MIN_PHRASE_TITLES) continue
      this.entries.push({ text, titles: count, documents: single > 0 ? single : count })
    }
    this.byText = column(this.entries.map((e, i) => [e.text, i]))
    if (this.pinyin) {
      const full: [string, number][] = []
      const initials: [string, number][] = []
      this.entries.forEach((e, i) => {
        const keys = this.pinyinOf(wordsOf.get(e.text) ?? [e.text])
        if (!keys) return
        full.push([keys.full, i])
        initials.push([keys.initials, i])
      })
      this.byPinyin = column(full)
      this.byInitials = column(initials)
    }
    this.byFirst = new Map()
    const ranked = this.entries.map((_, i) => i).sort((a, b) => byRank(this.entries[a]!, this.entries[b]!))
    const firsts = new Map<number, Set<string>>()
    for (const c of [this.byText, this.byPinyin, this.byInitials]) {
      c.keys.forEach((key, i) => {
        const e = c.entries[i]!
        const set = firsts.get(e) ?? new Set<string>()
        set.add(String.fromCodePoint(key.codePointAt(0)!))
        firsts.set(e, set)
      })
    }
    for (const e of ranked) {
      for (const first of firsts.get(e) ?? []) {
        const bucket = this.byFirst.get(first) ?? []
        if (bucket.length < MAX_LIMIT) bucket.push(e)
        this.byFirst.set(first, bucket)
      }
    }
  }

  /** Pinyin of an entry: its words' keys joined (each word read whole, so polyphones follow the word). */
  private pinyinOf(words: readonly string[]): { full: string; initials: string } | undefined {
    let full = ''
    let initials = ''
    for (const word of words) {
      const keys = HAN.test(word) ? this.pinyin!.keysOf(word) : undefined
      if (!keys) return undefined
      full += keys.full
      initials += keys.initials
    }
    return { full, initials }
  }
}

function joinWords(left: string, right: string): string {
  // Latin words keep a space between them; Han words run together, as they are written.
  return /^[a-z0-9]/.test(right) && /[a-z0-9]$/.test(left) ? `${left} ${right}` : left + right
}

function column(pairs: [string, number][]): KeyColumn {
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]))
  return { keys: pairs.map((p) => p[0]), entries: Uint32Array.from(pairs, (p) => p[1]) }
}

/** Entries whose key starts with `prefix` (at most MAX_SCAN of them). */
function* range(column: KeyColumn, prefix: string): Generator<number> {
  const { keys, entries } = column
  const lo = lowerBound(keys, prefix)
  const end = Math.min(keys.length, lo + MAX_SCAN)
  for (let i = lo; i < end && keys[i]!.startsWith(prefix); i++) yield entries[i]!
}

function suggestion({ text, titles, documents }: Entry): Suggestion {
  return { text, titles, documents }
}

function byRank(a: Entry, b: Entry): number {
  return b.titles - a.titles || b.documents - a.documents || a.text.length - b.text.length || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0)
}
