/**
 * phraseDocuments reads a frozen term's positions in place, for the candidate entries only, and a
 * term written since the freeze from memory. The documents it finds are exactly those an oracle
 * finds by decoding every list whole and checking positions — on the sample newspaper and on real
 * 新闻联播 articles, frozen (built, loaded, compacted) and frozen + fresh (documents added and
 * removed since), in every field scope — and no frozen list's positions are decoded.
 */
import { describe, it, expect, vi, afterEach } from 'vitest'
import { SearchEngine, type Document, type SearchEngineOptions } from '../src/index.js'
import { phraseDocuments } from '../src/query/phrases.js'
import { FrozenPositions } from '../src/index/segment-scans.js'
import type { InvertedIndex } from '../src/index/inverted-index.js'
import type { PostingList } from '../src/index/postings.js'
import type { Phrase } from '../src/query/compile.js'
import { sampleArticles } from './helpers.js'
import { xwlbSample } from './helpers-search-box.js'

afterEach(() => vi.restoreAllMocks())

const indexOf = (engine: SearchEngine) => (engine as unknown as { index: InvertedIndex }).index

/** Internal ids of the documents holding the phrase: every list decoded whole, positions compared. */
function oracle(phrase: Phrase, index: InvertedIndex): number[] {
  const lists = phrase.terms.map((term) => index.postings.get(term))
  if (lists.some((list) => !list)) return []
  const F = index.fields.length
  const positions = (list: PostingList, entry: number, field: number): Set<number> => {
    let from = list.posStart[entry]!
    for (let g = 0; g < field; g++) from += list.freqs[entry * F + g]!
    const out = new Set<number>()
    for (let k = 0; k < list.freqs[entry * F + field]!; k++) out.add(list.pos[from + k]!)
    return out
  }
  const found: number[] = []
  const first = lists[0]!
  for (let i = 0; i < first.length; i++) {
    const doc = first.docs[i]!
    const entries = lists.map((list) => Array.from(list!.docs).indexOf(doc))
    if (entries.includes(-1)) continue
    const holds = phrase.fields.some((f) => {
      const sets = lists.map((list, t) => positions(list!, entries[t]!, f))
      return [...sets[0]!].some((p) => sets.every((set, t) => set.has(p + phrase.offsets[t]!)))
    })
    if (holds) found.push(doc)
  }
  return found.sort((a, b) => a - b)
}

/**
 * Phrases of 2–4 adjacent query tokens of the documents' texts (offsets as the query analyzer
 * places them, stopword gaps included), each also reversed, with its last word one position
 * further, and with a word no document holds; in each field scope.
 */
function phrasesOf(engine: SearchEngine, texts: readonly string[], fieldCount: number, step: number): Phrase[] {
  const scopes = [[0], [1], [0, 1]].filter((s) => s.every((f) => f < fieldCount))
  const out: Phrase[] = []
  let k = 0
  for (const text of texts) {
    const tokens = engine.analyzer.analyze(text, 'query')
    for (let i = 0; i + 1 < tokens.length; i += step) {
      const size = 2 + (k % 3)
      const window = tokens.slice(i, i + size)
      if (window.length < 2) continue
      const terms = window.map((t) => t.term)
      const offsets = window.map((t) => t.position - window[0]!.position)
      const fields = scopes[k++ % scopes.length]!
      out.push({ terms, offsets, fields })
      out.push({ terms: [...terms].reverse(), offsets, fields })
      out.push({ terms, offsets: offsets.map((o, t) => (t === offsets.length - 1 ? o + 1 : o)), fields })
      out.push({ terms: [...terms.slice(0, -1), '不存在的词语'], offsets, fields })
    }
  }
  return out
}

function expectOracle(engine: SearchEngine, phrases: readonly Phrase[]): { matching: number; empty: number } {
  const index = indexOf(engine)
  let matching = 0
  let empty = 0
  for (const phrase of phrases) {
    const expected = oracle(phrase, index)
    expect(phraseDocuments(phrase, index).ids(), JSON.stringify(phrase)).toEqual(expected)
    if (expected.length > 0) matching++
    else empty++
  }
  return { matching, empty }
}

const corpora: { name: string; docs: () => Document[]; text: (d: Document) => string; options: SearchEngineOptions; step: number }[] = [
  { name: 'the sample newspaper', docs: sampleArticles, text: (d) => `${d.title}。${d.body}`, options: {}, step: 3 },
  { name: 'xwlb-sample.jsonl', docs: xwlbSample, text: (d) => `${d.title}。${d.text}`, options: { fields: { title: { boost: 2 }, text: {} } }, step: 11 },
]

describe.each(corpora)('phraseDocuments on $name equals the decode-everything oracle', ({ docs, text, options, step }) => {
  const articles = docs()
  const built = new SearchEngine(options)
  built.addAll(articles)
  const texts = articles.map(text)
  const phrases = phrasesOf(built, texts, indexOf(built).fields.length, step)

  it('frozen: as built, loaded from bytes', () => {
    expect(phrases.length).toBeGreaterThan(400)
    for (const engine of [built, SearchEngine.fromBytes(built.toBytes(), options)]) {
      expect(indexOf(engine).postings.mutableTermCount).toBe(0)
      const { matching, empty } = expectOracle(engine, phrases)
      expect(matching).toBeGreaterThan(phrases.length / 8)
      expect(empty).toBeGreaterThan(phrases.length / 2)
    }
  })

  it('frozen + fresh: documents added and removed since the freeze (common terms written to), then compacted', () => {
    const engine = SearchEngine.fromBytes(built.toBytes(), options)
    const again = articles.slice(0, 6).map((d, i) => ({ ...d, id: `again-${i}` }))
    for (const d of again) engine.add(d)
    for (const d of [...articles.slice(3, 7), again[1]!]) engine.remove(String(d.id))
    const index = indexOf(engine)
    expect(index.postings.mutableTermCount).toBeGreaterThan(100)
    expect(index.removedCount).toBe(5)
    const mixed = expectOracle(engine, phrases)
    expect(mixed.matching).toBeGreaterThan(phrases.length / 10)
    engine.compact()
    expect(index.postings.mutableTermCount).toBe(0)
    expect(expectOracle(engine, phrases).matching).toBe(mixed.matching)
  })
})

describe('phraseDocuments field by field', () => {
  // A field holding the words out of order (or apart) must not end the search: the next may hold the phrase.
  const docs = [
    { id: 'later-field', title: 'beta gamma alpha', body: 'delta alpha beta' },
    { id: 'apart', title: 'alpha delta beta', body: 'beta delta alpha' },
    { id: 'title-only', title: 'alpha beta', body: 'gamma' },
    { id: 'repeated', title: 'alpha alpha', body: 'alpha gamma alpha beta alpha' },
  ]
  const phrases: Phrase[] = [[0], [1], [0, 1]].flatMap((fields) => [
    { terms: ['alpha', 'beta'], offsets: [0, 1], fields },
    { terms: ['alpha', 'gamma', 'alpha'], offsets: [0, 1, 2], fields },
    { terms: ['beta', 'alpha'], offsets: [0, 2], fields },
  ])
  const ids = (engine: SearchEngine, phrase: Phrase) => phraseDocuments(phrase, indexOf(engine)).ids().map((d) => indexOf(engine).externalId(d))

  it('finds a phrase in any field of its scope, frozen and written since', () => {
    const frozen = SearchEngine.fromBytes((() => {
      const e = new SearchEngine()
      e.addAll(docs)
      return e.toBytes()
    })())
    const fresh = new SearchEngine()
    for (const d of docs) fresh.add(d)
    expect(indexOf(fresh).postings.frozenTermOf('alpha')).toBe(-1)
    for (const engine of [frozen, fresh]) {
      expect(indexOf(engine).postings.frozenTermOf('alpha') >= 0).toBe(engine === frozen)
      expect(ids(engine, phrases[6]!)).toEqual(['later-field', 'title-only', 'repeated'])
      expect(ids(engine, phrases[7]!)).toEqual(['repeated'])
      expect(ids(engine, phrases[8]!)).toEqual(['later-field', 'apart'])
      for (const phrase of phrases) expect(phraseDocuments(phrase, indexOf(engine)).ids(), JSON.stringify(phrase)).toEqual(oracle(phrase, indexOf(engine)))
    }
  })
})

describe('phrases read frozen positions in place', () => {
  const options: SearchEngineOptions = { fields: { title: { boost: 2 }, text: {} }, ranking: { proximity: 0 } }
  const built = new SearchEngine(options)
  built.addAll(xwlbSample())
  const bytes = built.toBytes()

  /** Spies on the positions getters of decoded frozen lists (and on the in-place reader). */
  function spies(engine: SearchEngine) {
    const decoded = Object.getPrototypeOf(indexOf(engine).postings.frozenList(0)) as object
    return {
      pos: vi.spyOn(decoded as { pos: Uint32Array }, 'pos', 'get'),
      posStart: vi.spyOn(decoded as { posStart: Uint32Array }, 'posStart', 'get'),
      inPlace: vi.spyOn(FrozenPositions.prototype, 'read'),
    }
  }

  it('required and excluded phrases of common words decode no frozen list positions', () => {
    const engine = SearchEngine.fromBytes(bytes, options)
    const spy = spies(engine)
    const required = engine.search('"新闻联播 消息"', { snippet: false })
    const excluded = engine.search('发展 -"中国 特色" -"习近平 主席"', { snippet: false })
    const scoped = engine.search('title:"习近平 主席"', { snippet: false })
    expect(required.total).toBeGreaterThan(0)
    expect(excluded.total).toBeGreaterThan(0)
    expect(scoped.total).toBeGreaterThan(0)
    expect(spy.inPlace).toHaveBeenCalled()
    expect(spy.pos).not.toHaveBeenCalled()
    expect(spy.posStart).not.toHaveBeenCalled()
  })

  it('a term written since the freeze is read from memory, a frozen one still in place', () => {
    const engine = SearchEngine.fromBytes(bytes, options)
    engine.add({ id: 'fresh', title: '新闻联播', text: '央视网消息：中国特色社会主义。' })
    const index = indexOf(engine)
    expect(index.postings.frozenTermOf('特色')).toBe(-1)
    expect(index.postings.frozenTermOf('习近平')).toBeGreaterThanOrEqual(0)
    const spy = spies(engine)
    const phrase: Phrase = { terms: ['中国', '特色'], offsets: [0, 1], fields: [0, 1] }
    const found = phraseDocuments(phrase, index)
    expect(found.has(index.internalId('fresh')!)).toBe(true)
    expect(found.ids()).toEqual(oracle(phrase, index))
    spy.pos.mockClear()
    spy.posStart.mockClear()
    expect(phraseDocuments({ terms: ['习近平', '主席'], offsets: [0, 1], fields: [0, 1] }, index).size).toBeGreaterThan(0)
    expect(spy.inPlace).toHaveBeenCalled()
    expect(spy.pos).not.toHaveBeenCalled()
    expect(spy.posStart).not.toHaveBeenCalled()
  })
})
