/**
 * Block-max pruning (executeQuery skipping windows of documents that cannot reach the top k) must
 * not change any result: the same total, the same hits in the same order, bit-identical scores as
 * scoring every posting. Each query runs twice, with pruning off and forced on.
 */
import { describe, it, expect, beforeAll, afterEach } from 'vitest'
import fc from 'fast-check'
import { SearchEngine, type Document, type SearchEngineOptions } from '../src/index.js'
import { pruning } from '../src/query/execute.js'
import { sampleArticles } from './helpers.js'

const DEFAULTS = { ...pruning }
afterEach(() => Object.assign(pruning, DEFAULTS))

/** Runs `query` exhaustively, then pruned with `settings`, and expects identical results. */
function expectSamePruned(engine: SearchEngine, query: string, options: { limit: number; offset: number }, settings: Partial<typeof pruning>): void {
  const label = `${query} (limit ${options.limit}, offset ${options.offset})`
  Object.assign(pruning, DEFAULTS, { minPostings: Infinity })
  const exhaustive = engine.search(query, { ...options, snippet: false })
  Object.assign(pruning, DEFAULTS, settings)
  const pruned = engine.search(query, { ...options, snippet: false })
  Object.assign(pruning, DEFAULTS)
  expect(pruned.total, `${label}: total`).toBe(exhaustive.total)
  // Exact equality of the [id, score] pairs: order, membership and every bit of the score.
  expect(
    pruned.hits.map((h) => [h.id, h.score]),
    label,
  ).toEqual(exhaustive.hits.map((h) => [h.id, h.score]))
}

/** A deterministic generator, so the real-text corpus is the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

// ---------------------------------------------------------------------------------------------

describe('pruned and exhaustive scoring agree', () => {
  /** Han words of the sample (a few, so they repeat and lists get long), plus Latin words that expand. */
  let vocabulary: string[] = []

  beforeAll(() => {
    const analyzer = new SearchEngine().analyzer
    const text = sampleArticles()
      .map((a) => `${String(a.title)}\n${String(a.body)}`)
      .join('\n')
    const seen = new Set<string>()
    for (const t of analyzer.analyze(text, 'query')) {
      if (/^\p{Script=Han}{2,4}$/u.test(t.term)) seen.add(t.term)
      if (seen.size >= 14) break
    }
    vocabulary = [...seen, 'alpha', 'alphabet', 'covid-19', 'covid']
    expect(vocabulary.length).toBe(18)
  })

  // Skewed: low indexes are common words (long lists), high ones rare.
  const wordIndex = fc.tuple(fc.nat({ max: 17 }), fc.nat({ max: 17 })).map(([a, b]) => Math.min(a, b))
  const wordOf = (i: number) => vocabulary[i]!
  const text = (max: number) =>
    fc.array(fc.tuple(wordIndex, fc.constantFrom(' ', '，', '。', '', '的')), { maxLength: max }).map((parts) => parts.map(([w, s]) => wordOf(w) + s).join(''))
  const document = fc.record({ title: text(3), body: text(24) })

  const queryWord = fc.oneof(
    { weight: 8, arbitrary: wordIndex.map(wordOf) },
    // Unknown to the index: substring lists (Han) and expansions (Latin) become alternatives.
    { weight: 1, arbitrary: wordIndex.map((i) => wordOf(i).slice(0, 1)) },
    { weight: 1, arbitrary: fc.constantFrom('alp', 'vid', 'ph') },
    { weight: 1, arbitrary: wordIndex.map((i) => `title:${wordOf(i)}`) },
  )
  const query = fc.oneof(
    { weight: 4, arbitrary: fc.array(queryWord, { minLength: 1, maxLength: 4 }).map((ws) => ws.join(' ')) },
    // Glued words: adjacent slots of one clause (when the analyzer splits them), which the proximity bonus rewards.
    { weight: 4, arbitrary: fc.tuple(fc.array(wordIndex.map(wordOf), { minLength: 2, maxLength: 3 }), fc.constantFrom('', '的')).map(([ws, glue]) => ws.join(glue)) },
    { weight: 1, arbitrary: fc.tuple(queryWord, queryWord).map(([a, b]) => `${a} OR ${b}`) },
    // Phrases and exclusions keep the exhaustive path: both runs must still agree.
    { weight: 1, arbitrary: fc.tuple(queryWord, queryWord).map(([a, b]) => `${a} -${b}`) },
  )
  const page = fc.record({ limit: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 13, max: 200 })), offset: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30 })) })
  const settings = fc.record({
    minPostings: fc.constantFrom(0, 50),
    // Small windows so a few hundred documents make many of them; 0 = one document per window.
    windowBits: fc.constantFrom(0, 1, 2, 3, 5),
    maxWindows: fc.constantFrom(4, 64, 1 << 20),
  })
  const options = fc.record({
    k1: fc.constantFrom(0, 0.5, 1.2, 2.5),
    b: fc.constantFrom(0, 0.75, 1),
    titleBoost: fc.constantFrom(0, 1, 3),
    coordination: fc.constantFrom(0, 0, 0.5, 2),
    proximity: fc.constantFrom(0, 0.5, 3, 3),
  })
  const engineOptions = (o: { k1: number; b: number; titleBoost: number; coordination: number; proximity: number }): SearchEngineOptions => ({
    fields: { title: { boost: o.titleBoost }, body: {} },
    bm25: { k1: o.k1, b: o.b },
    ranking: { coordination: o.coordination, proximity: o.proximity },
  })

  it('for random corpora, queries and pages, before and after writes', () => {
    fc.assert(
      fc.property(
        fc.array(document, { minLength: 60, maxLength: 300 }),
        options,
        fc.array(fc.tuple(query, page, settings), { minLength: 1, maxLength: 6 }),
        fc.array(document, { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (docs, o, queries, added, removed) => {
          const engine = new SearchEngine(engineOptions(o))
          engine.addAll(docs.map((d, i) => ({ id: `d${i}`, ...d })))
          const check = () => {
            for (const [q, p, s] of queries) expectSamePruned(engine, q, p, s)
          }
          check()
          // Writes change lists in place and leave holes in the ids: cached bounds must not survive.
          // Two rounds: the first write to a list copies it, later ones extend that copy.
          for (const half of [0, 1]) {
            for (const r of removed.filter((_, i) => i % 2 === half)) engine.remove(`d${r % docs.length}`)
            for (const [i, d] of added.entries()) if (i % 2 === half) engine.add({ id: `new${i}`, ...d })
            check()
          }
          engine.compact()
          check()
        },
      ),
      { seed: 20261128, numRuns: 100 },
    )
  })
})

describe('ties', () => {
  it('a document tying the k-th score enters on its lower id, even where its window bound equals that score', () => {
    // b = 0 and one occurrence each: the window of x holds x's exact score as its bound. Eight
    // windows bound higher (alpha-heavy documents that coordination halves), so x's window is
    // scored last, after y (a copy of x, later id) has set the floor to exactly that score.
    const engine = new SearchEngine({ fields: { body: {} }, bm25: { k1: 1.2, b: 0 }, ranking: { coordination: 1, proximity: 0 } })
    const alphas = (n: number) => Array(n).fill('alpha').join(' ')
    engine.addAll([
      { id: 'x', body: 'alpha beta' },
      { id: 'x-filler', body: 'beta' },
      ...Array.from({ length: 7 }, (_, i) => [
        { id: `decoy${i}`, body: alphas(6) },
        { id: `decoy${i}-filler`, body: 'gamma' },
      ]).flat(),
      { id: 'y', body: 'alpha beta' },
      { id: 'z', body: alphas(8) },
      ...Array.from({ length: 30 }, (_, i) => ({ id: `beta${i}`, body: 'beta' })),
    ])
    const pairs = { minPostings: 0, windowBits: 1, maxWindows: 1 << 20 }
    Object.assign(pruning, pairs)
    expect(engine.search('alpha beta', { limit: 1 }).hits.map((h) => h.id)).toEqual(['x'])
    expectSamePruned(engine, 'alpha beta', { limit: 1, offset: 0 }, pairs)
    expectSamePruned(engine, 'alpha beta', { limit: 2, offset: 0 }, pairs)
  })
})

describe('on real text', () => {
  const engines = new Map<string, SearchEngine>()

  /** A few thousand documents: each a sample article's title over a random mix of sample paragraphs. */
  function corpus(): Document[] {
    const articles = sampleArticles()
    const paragraphs = articles.flatMap((a) => String(a.body).split('\n')).filter((p) => p.length > 20)
    const random = lcg(7)
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!
    return Array.from({ length: 4000 }, (_, i) => {
      const parts = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(paragraphs))
      return { id: `n${i}`, title: String(pick(articles).title), body: parts.join('\n') }
    })
  }

  function engine(ranking: SearchEngineOptions['ranking']): SearchEngine {
    const key = JSON.stringify(ranking)
    let e = engines.get(key)
    if (!e) {
      e = new SearchEngine({ ranking })
      e.addAll(corpus())
      engines.set(key, e)
    }
    return e
  }

  /** The sample's words, commonest first, and some pairs of them. */
  function queries(e: SearchEngine): string[] {
    const text = sampleArticles()
      .map((a) => String(a.body))
      .join('\n')
    const words = [...new Set(e.analyzer.analyze(text, 'query').map((t) => t.term))].filter((w) => /^\p{Script=Han}{2,}$/u.test(w))
    Object.assign(pruning, { minPostings: Infinity })
    const byTotal = words.map((w) => [w, e.search(w, { limit: 0 }).total] as const).sort((a, b) => b[1] - a[1])
    Object.assign(pruning, DEFAULTS)
    const common = byTotal.slice(0, 12).map(([w]) => w)
    const rare = byTotal.slice(-4).map(([w]) => w)
    // The commonest word alone must be long enough for the default threshold to prune.
    expect(byTotal[0]![1]).toBeGreaterThan(DEFAULTS.minPostings)
    return [
      ...common,
      ...common.slice(0, 6).map((w, i) => `${w} ${common[i + 6]}`),
      ...common.slice(0, 4).map((w, i) => `${w}${common[i + 1]}`),
      `${common[0]} ${common[1]} ${common[2]}`,
      ...rare.map((w, i) => `${common[i]} ${w}`),
      '上街 企业 发展',
      '郑州 网红 新地标',
    ]
  }

  it('after writes between searches (cached bounds belong to one index state)', () => {
    const e = new SearchEngine()
    e.addAll(corpus())
    const qs = queries(e).slice(0, 8)
    const check = () => {
      for (const q of qs) expectSamePruned(e, q, { limit: 10, offset: 0 }, {})
    }
    check()
    // Short documents full of the query words outrank everything: stale bounds would miss them.
    // Several rounds, since the first write to a frozen list makes a new list and later ones extend it.
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 20; i++) {
        e.add({ id: `w${round}-${i}`, title: qs[i % qs.length]!, body: `${qs[i % qs.length]}。`.repeat(1 + (i % 3)) })
        e.remove(`n${round * 100 + i}`)
      }
      check()
    }
    e.compact()
    check()
  })

  for (const ranking of [{}, { proximity: 0 }, { coordination: 1 }, { coordination: 0.5, proximity: 2 }]) {
    it(`with ranking ${JSON.stringify(ranking)}, default and small windows`, () => {
      const e = engine(ranking)
      for (const q of queries(e)) {
        for (const p of [
          { limit: 10, offset: 0 },
          { limit: 10, offset: 40 },
          { limit: 1, offset: 0 },
          { limit: 100, offset: 0 },
        ]) {
          expectSamePruned(e, q, p, {})
          expectSamePruned(e, q, p, { minPostings: 0, windowBits: 2 })
        }
      }
    })
  }
})
