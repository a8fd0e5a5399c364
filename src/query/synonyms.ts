/**
 * Synonym rules in Solr's format, expanded at query time (the `query.synonyms` option):
 *
 *   冬奥会, 冬季奥运会           equivalent: each entry finds the documents of every other
 *   新冠, 新冠肺炎 => 新型冠状病毒  one way: the left entries are searched as the right ones instead
 *   # comment
 *
 * Entries are analyzed as queries are, so `冬季奥运会` is the phrase 冬季 奥运会. A query's tokens that
 * spell an entry (longest first) become one slot whose alternatives are the rule's entries: a
 * one-word entry as its term, a longer one as a phrase (the documents holding it, scored by the
 * smallest frequency of its words in each field). The entry as typed keeps weight 1, the others get
 * `synonymWeight`. Nothing is indexed: rules can change without a rebuild.
 */
import type { Analyzer, Token } from '../analysis/analyzer.js'
import { JiansuoError } from '../errors.js'
import type { InvertedIndex } from '../index/inverted-index.js'
import type { PostingList } from '../index/postings.js'
import type { Alternative, Span } from './compile.js'
import { phraseDocuments } from './phrases.js'
import { idf } from './bm25.js'

/** Entries one rule may expand to (a longer list is cut at rule time, so no query pays for it). */
export const MAX_RULE_ENTRIES = 16

interface Entry {
  /** The entry's analyzed terms. */
  terms: string[]
  /** Each term's position from the first (stopwords leave gaps). */
  offsets: number[]
  text: string
}

interface Rule {
  /** What the matched entry is searched as. */
  targets: Entry[]
}

export class SynonymRules {
  /** Entry key (terms joined by a space) → the rule the entry triggers. */
  private readonly byEntry = new Map<string, Rule>()
  /** First term → the lengths (in terms) of the entries starting with it, longest first. */
  private readonly lengths = new Map<string, number[]>()

  constructor(lines: readonly string[], analyzer: Analyzer) {
    lines.forEach((line, i) => this.addLine(line, i + 1, analyzer))
    for (const list of this.lengths.values()) list.sort((a, b) => b - a)
  }

  get size(): number {
    return this.byEntry.size
  }

  /**
   * Spans of `tokens` that spell an entry, longest first, left to right: one slot each, the
   * rule's entries as alternatives (those the index cannot match are left out).
   */
  spans(tokens: readonly Token[], index: InvertedIndex, fields: readonly number[], synonymWeight: number): Span[] {
    const spans: Span[] = []
    for (let k = 0; k < tokens.length; ) {
      const match = this.longestAt(tokens, k)
      if (!match) {
        k++
        continue
      }
      const { rule, length, key } = match
      const found = rule.targets.map((target) => ({ target, ...entryAlternative(target, index, fields) }))
      const typed = found.find((f) => f.target.terms.join(' ') === key)
      const N = index.documentCount
      const alternatives: Alternative[] = []
      const highlight: string[] = []
      for (const { target, alternative, df } of found) {
        if (!alternative) continue
        // Below the word as typed, whatever its idf: a rarer synonym scores as if it were as common.
        const rarer = typed?.df && df < typed.df ? idf(N, typed.df) / idf(N, df) : 1
        alternatives.push({ ...alternative, weight: target === typed?.target ? 1 : synonymWeight * rarer })
        highlight.push(...target.terms)
      }
      spans.push({
        first: k,
        end: k + length,
        slots: [alternatives],
        highlight,
        // A one-way rule replaces what was typed: the result says so.
        ...(typed ? {} : { relaxed: { kind: 'synonym' as const, from: tokens.slice(k, k + length).map((t) => t.term).join(' '), to: rule.targets.map((t) => t.text).join(', ') } }),
      })
      k += length
    }
    return spans
  }

  private longestAt(tokens: readonly Token[], k: number): { rule: Rule; length: number; key: string } | undefined {
    for (const length of this.lengths.get(tokens[k]!.term) ?? []) {
      if (k + length > tokens.length) continue
      const key = tokens.slice(k, k + length).map((t) => t.term).join(' ')
      const rule = this.byEntry.get(key)
      if (rule) return { rule, length, key }
    }
    return undefined
  }

  private addLine(raw: string, line: number, analyzer: Analyzer): void {
    const text = raw.replace(/#.*$/, '').trim()
    if (text === '') return
    const sides = text.split('=>')
    if (sides.length > 2) invalidRule(line, raw, 'has more than one "=>"')
    const entries = (side: string) =>
      side
        .split(/[,，]/)
        .map((e) => e.trim())
        .filter((e) => e !== '')
        .map((e) => analyzeEntry(e, analyzer, line, raw))
    const left = entries(sides[0]!)
    const right = sides.length === 2 ? entries(sides[1]!) : left
    if (left.length === 0 || right.length === 0) invalidRule(line, raw, 'has an empty side')
    if (sides.length === 1 && left.length < 2) invalidRule(line, raw, 'lists one entry; write two or more (a, b) or a mapping (a => b)')
    const targets = dedupe(right).slice(0, MAX_RULE_ENTRIES)
    for (const entry of left) {
      const key = entry.terms.join(' ')
      // Rules add up: an entry in two lines finds the entries of both (Solr merges them too).
      const existing = this.byEntry.get(key)
      this.byEntry.set(key, { targets: existing ? dedupe([...existing.targets, ...targets]).slice(0, MAX_RULE_ENTRIES) : targets })
      const first = entry.terms[0]!
      const lengths = this.lengths.get(first) ?? []
      if (!lengths.includes(entry.terms.length)) lengths.push(entry.terms.length)
      this.lengths.set(first, lengths)
    }
  }
}

function analyzeEntry(text: string, analyzer: Analyzer, line: number, raw: string): Entry {
  const tokens = analyzer.analyze(text, 'query')
  if (tokens.length === 0) invalidRule(line, raw, `has the entry ${JSON.stringify(text)} with no searchable word (only stopwords or punctuation)`)
  return { terms: tokens.map((t) => t.term), offsets: tokens.map((t) => t.position - tokens[0]!.position), text }
}

function dedupe(entries: Entry[]): Entry[] {
  const seen = new Set<string>()
  return entries.filter((e) => {
    const key = e.terms.join(' ')
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function invalidRule(line: number, raw: string, problem: string): never {
  throw new JiansuoError('INVALID_OPTION', `Option query.synonyms: rule ${line} (${JSON.stringify(raw.slice(0, 80))}) ${problem}.`)
}

/** One entry as an alternative of a slot (weight 1): its term, or for several words the phrase's documents; and how many. */
function entryAlternative(entry: Entry, index: InvertedIndex, fields: readonly number[]): { alternative?: Alternative; df: number } {
  const { postings } = index
  if (entry.terms.length === 1) {
    const term = entry.terms[0]!
    const df = postings.docFreq(term)
    return df > 0 ? { alternative: { term, weight: 1 }, df } : { df: 0 }
  }
  const lists = entry.terms.map((t) => postings.get(t))
  if (lists.some((l) => !l || l.length === 0)) return { df: 0 }
  const docs = phraseDocuments({ terms: entry.terms, offsets: entry.offsets, fields: [...fields] }, index).ids()
  if (docs.length === 0) return { df: 0 }
  return { alternative: { term: entry.terms.join(' '), weight: 1, list: phraseList(docs, lists as PostingList[], index.fields.length) }, df: docs.length }
}

/**
 * The phrase's documents as a list without positions; per field, the frequency of its rarest
 * word there (an upper bound of the phrase's own count, which positions would give exactly).
 */
function phraseList(docs: readonly number[], lists: readonly PostingList[], F: number): PostingList {
  const freqs: number[] = []
  const cursors = lists.map(() => 0)
  for (const doc of docs) {
    const row = new Array<number>(F).fill(Infinity)
    lists.forEach((list, t) => {
      let i = cursors[t]!
      while (list.docs[i]! < doc) i++
      cursors[t] = i
      for (let f = 0; f < F; f++) row[f] = Math.min(row[f]!, list.freqs[i * F + f]!)
    })
    freqs.push(...row)
  }
  return { length: docs.length, docs: [...docs], freqs, posStart: new Array<number>(docs.length + 1).fill(0), pos: [] }
}
