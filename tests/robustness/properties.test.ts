/**
 * Property tests (fast-check, fixed seeds):
 *  1. toBytes → fromBytes gives identical results for any corpus and query;
 *  2. random add / update / remove / search sequences agree with a naive BM25F oracle;
 *  3. after updates and removes, scores equal those of a fresh index of the same final documents
 *     (also after compact() and after save / load);
 *  4. random byte corruption is always detected.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import fc from 'fast-check'
import { join } from 'node:path'
import { SearchEngine, type SearchEngineOptions, type SearchResult } from '../../src/index.js'
import { Oracle, type OracleDoc } from './helpers/oracle.js'
import { cleanupScratch, sampleArticles, scratchDir, thrown } from './helpers/common.js'

// ---------------------------------------------------------------------------------------------
// Vocabulary and generators

/** Han words of the sample newspaper (jieba's precise cut), a small set so documents share words. */
let hanWords: string[] = []

beforeAll(() => {
  const analyzer = new SearchEngine().analyzer
  const text = sampleArticles()
    .map((a) => `${a.title}\n${a.body}`)
    .join('\n')
  const seen = new Set<string>()
  for (const t of analyzer.analyze(text, 'query')) {
    if (/^\p{Script=Han}{2,4}$/u.test(t.term)) seen.add(t.term)
    if (seen.size >= 80) break
  }
  hanWords = [...seen]
  expect(hanWords.length).toBe(80)
})

afterAll(() => cleanupScratch())

const LATIN = ['covid-19', 'iPhone15', 'alpha', 'beta', 'gamma', '5G', '2024', 'wi-fi', 'café', 'Привет', 'مرحبا', 'שלום', 'ABC', 'x']
const EMOJI = ['😀', '👍🏽', '🇨🇳', '👨‍👩‍👧']
const STOPWORDS = ['的', '了', '是', '在']
const TRADITIONAL = ['雷鋒', '發展', '經濟', '學習']
const SEPARATORS = ['', '', ' ', '，', '。', '\n', '、', ' - ']

/** A word, mostly Han from the sample (indices resolved lazily: hanWords fills in beforeAll). */
const word = fc.oneof(
  { weight: 8, arbitrary: fc.nat({ max: 79 }).map((i) => hanWords[i]!) },
  { weight: 2, arbitrary: fc.constantFrom(...LATIN) },
  { weight: 1, arbitrary: fc.constantFrom(...EMOJI) },
  { weight: 1, arbitrary: fc.constantFrom(...STOPWORDS) },
  { weight: 1, arbitrary: fc.constantFrom(...TRADITIONAL) },
)

const text = (maxWords: number) =>
  fc.array(fc.tuple(word, fc.constantFrom(...SEPARATORS)), { maxLength: maxWords }).map((parts) => parts.map(([w, s]) => w + s).join(''))

const ID_POOL = ['a', 'b', 'c', 'd', 'e', 'f', 'ид', '😀']

const documentBody = fc.record({
  title: fc.option(text(4), { nil: undefined }),
  body: text(25),
  tag: fc.option(fc.constantFrom('x', 'y'), { nil: undefined }),
})

function makeDoc(id: string, fields: { title?: string | undefined; body: string; tag?: string | undefined }): OracleDoc {
  const doc: OracleDoc = { id, body: fields.body }
  if (fields.title !== undefined) doc.title = fields.title
  if (fields.tag !== undefined) doc.tag = fields.tag
  return doc
}

/** One search-box word, or part of one (no spaces or syntax): what the oracle can score. */
const singleWordQuery = fc.oneof(
  { weight: 6, arbitrary: word },
  { weight: 2, arbitrary: fc.tuple(word, word).map(([a, b]) => a + b) },
  { weight: 2, arbitrary: fc.nat({ max: 79 }).map((i) => hanWords[i]!.slice(0, 1)) },
  { weight: 1, arbitrary: fc.nat({ max: 79 }).map((i) => hanWords[i]!.slice(1)) },
  { weight: 1, arbitrary: fc.constantFrom('ph', 'vid', 'alp', 'zzz', '未知词') },
)

/** Any query, including syntax. */
const anyQuery = fc.oneof(
  { weight: 4, arbitrary: singleWordQuery },
  { weight: 2, arbitrary: fc.array(singleWordQuery, { minLength: 2, maxLength: 4 }).map((ws) => ws.join(' ')) },
  { weight: 1, arbitrary: fc.tuple(word, word).map(([a, b]) => `"${a}${b}"`) },
  { weight: 1, arbitrary: fc.tuple(word, word).map(([a, b]) => `${a} -${b}`) },
  { weight: 1, arbitrary: fc.tuple(word, word).map(([a, b]) => `${a} OR ${b}`) },
  { weight: 1, arbitrary: word.map((a) => `title:${a}`) },
  { weight: 1, arbitrary: fc.constantFrom('', '"', '-', 'OR OR', 'nope:雷锋', '的') },
)

const rankingOptions = fc.record({
  k1: fc.constantFrom(0, 0.5, 1.2, 2.5),
  b: fc.constantFrom(0, 0.3, 0.75, 1),
  titleBoost: fc.constantFrom(0, 1, 3, 7.5),
  bodyBoost: fc.constantFrom(0.5, 1, 2),
})

function engineOptions(r: { k1: number; b: number; titleBoost: number; bodyBoost: number }, ranking?: SearchEngineOptions['ranking']): SearchEngineOptions {
  return {
    fields: { title: { boost: r.titleBoost }, body: { boost: r.bodyBoost } },
    bm25: { k1: r.k1, b: r.b },
    ...(ranking ? { ranking } : {}),
  }
}

function comparable(result: SearchResult): unknown {
  return { total: result.total, hits: result.hits }
}

/** Same ids in the same order, same totals, scores equal to 9 decimals. */
function expectSameRanking(actual: SearchResult, expected: SearchResult, label: string): void {
  expect(actual.total, `${label}: total`).toBe(expected.total)
  expect(
    actual.hits.map((h) => h.id),
    `${label}: ids`,
  ).toEqual(expected.hits.map((h) => h.id))
  actual.hits.forEach((h, i) => expect(h.score, `${label}: score of ${h.id}`).toBeCloseTo(expected.hits[i]!.score, 9))
}

// ---------------------------------------------------------------------------------------------

describe('1. toBytes → fromBytes preserves every result', () => {
  it('for random corpora and queries', () => {
    fc.assert(
      fc.property(
        fc.array(documentBody, { maxLength: 25 }),
        rankingOptions,
        fc.array(anyQuery, { minLength: 1, maxLength: 8 }),
        (bodies, r, queries) => {
          const engine = new SearchEngine(engineOptions(r))
          engine.addAll(bodies.map((b, i) => makeDoc(`doc${i}`, b)))
          const loaded = SearchEngine.fromBytes(engine.toBytes())
          expect(loaded.ids()).toEqual(engine.ids())
          expect(loaded.termCount).toBe(engine.termCount)
          for (const q of queries) {
            expect(comparable(loaded.search(q, { limit: 50 })), q).toEqual(comparable(engine.search(q, { limit: 50 })))
          }
          // And the loaded copy writes the same bytes.
          expect(loaded.toBytes()).toEqual(engine.toBytes())
        },
      ),
      { numRuns: 40, seed: 101 },
    )
  })
})

// ---------------------------------------------------------------------------------------------

type Action =
  | { kind: 'add'; id: string; doc: ReturnType<typeof makeDoc>; upsert: boolean }
  | { kind: 'update'; id: string; doc: ReturnType<typeof makeDoc> }
  | { kind: 'addAll'; docs: ReturnType<typeof makeDoc>[]; upsert: boolean }
  | { kind: 'remove'; id: string }
  | { kind: 'compact' }
  | { kind: 'search'; query: string }

const idArb = fc.constantFrom(...ID_POOL)
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('add' as const), id: idArb, body: documentBody, upsert: fc.boolean() }).map(({ id, body, upsert }) => ({ kind: 'add' as const, id, doc: makeDoc(id, body), upsert })) },
  { weight: 2, arbitrary: fc.record({ id: idArb, body: documentBody }).map(({ id, body }) => ({ kind: 'update' as const, id, doc: makeDoc(id, body) })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ ids: fc.uniqueArray(idArb, { minLength: 1, maxLength: 3 }), bodies: fc.array(documentBody, { minLength: 3, maxLength: 3 }), upsert: fc.boolean() })
      .map(({ ids, bodies, upsert }) => ({ kind: 'addAll' as const, docs: ids.map((id, i) => makeDoc(id, bodies[i]!)), upsert })),
  },
  { weight: 2, arbitrary: idArb.map((id) => ({ kind: 'remove' as const, id })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'compact' as const }) },
  { weight: 5, arbitrary: singleWordQuery.map((query) => ({ kind: 'search' as const, query })) },
)

/** Apply one action to the engine and the oracle; checks that both agree on what happened. */
function apply(engine: SearchEngine, oracle: Oracle, a: Action): void {
  switch (a.kind) {
    case 'add': {
      const duplicate = oracle.has(a.id) && !a.upsert
      expect(thrown(() => engine.add(a.doc, { upsert: a.upsert }))).toBe(duplicate ? 'DUPLICATE_ID' : undefined)
      if (!duplicate) oracle.put(a.doc)
      break
    }
    case 'update': {
      const exists = oracle.has(a.id)
      expect(thrown(() => engine.update(a.doc))).toBe(exists ? undefined : 'NOT_FOUND')
      if (exists) oracle.put(a.doc)
      break
    }
    case 'addAll': {
      const duplicate = !a.upsert && a.docs.some((d) => oracle.has(d.id))
      expect(thrown(() => engine.addAll(a.docs, { upsert: a.upsert }))).toBe(duplicate ? 'DUPLICATE_ID' : undefined)
      if (!duplicate) for (const d of a.docs) oracle.put(d)
      break
    }
    case 'remove':
      expect(engine.remove(a.id)).toBe(oracle.remove(a.id))
      break
    case 'compact':
      engine.compact()
      break
    case 'search':
      break
  }
  expect(engine.ids()).toEqual(oracle.ids)
  expect(engine.size).toBe(oracle.ids.length)
}

/** The engine's answer to a one-word query, checked against the oracle. */
function checkSearch(engine: SearchEngine, oracle: Oracle, query: string): void {
  const result = engine.search(query, { limit: 10_000, snippet: false })
  const label = JSON.stringify(query)
  expect(result.hits.length, `${label}: every hit returned`).toBe(result.total)
  if (oracle.canScore(query)) {
    const expected = oracle.search(query)
    const order = new Map(expected.map((h) => [h.id, h]))
    expect(result.total, `${label}: total`).toBe(expected.length)
    expect(result.hits.map((h) => h.id).sort(), `${label}: ids`).toEqual(expected.map((h) => h.id).sort())
    result.hits.forEach((hit, i) => {
      const want = order.get(hit.id)!
      expect(hit.score, `${label}: score of ${hit.id}`).toBeCloseTo(want.score, 9)
      const next = result.hits[i + 1]
      if (!next) return
      // Best first; exact ties in insertion order (the engine's documented tie-break).
      expect(want.score, `${label}: ${hit.id} before ${next.id}`).toBeGreaterThanOrEqual(order.get(next.id)!.score - 1e-9)
      if (hit.score === next.score) expect(want.order, `${label}: tie ${hit.id} / ${next.id}`).toBeLessThan(order.get(next.id)!.order)
    })
  } else {
    // A word no live document has as a term: the engine may resolve it other ways (substrings,
    // decomposition); whatever it finds must be live documents, each once, best first.
    const live = new Set(oracle.ids)
    for (const hit of result.hits) expect(live.has(hit.id), `${label}: hit ${String(hit.id)} is not a live document`).toBe(true)
    expect(new Set(result.hits.map((h) => h.id)).size, `${label}: duplicate hits`).toBe(result.hits.length)
    result.hits.forEach((hit, i) => {
      const next = result.hits[i + 1]
      if (next) expect(hit.score, `${label}: order`).toBeGreaterThanOrEqual(next.score)
    })
  }
}

describe('2. random operation sequences agree with a naive BM25F oracle', () => {
  it('add / update / addAll / remove / compact / search', () => {
    fc.assert(
      fc.property(rankingOptions, fc.array(action, { minLength: 1, maxLength: 40 }), (r, actions) => {
        const engine = new SearchEngine(engineOptions(r, { coordination: 0, proximity: 0 }))
        const oracle = new Oracle(engine)
        for (const a of actions) {
          apply(engine, oracle, a)
          if (a.kind === 'search') checkSearch(engine, oracle, a.query)
        }
        // Every word of every live document, at the end.
        const words = new Set<string>()
        for (const d of oracle.documents) for (const t of engine.analyzer.analyze(`${d.title ?? ''} ${d.body as string}`, 'index')) words.add(t.term)
        const plain = [...words].filter((w) => !/[\s"“”「『:：]|^-|^OR$/u.test(w)).slice(0, 30)
        for (const w of plain) checkSearch(engine, oracle, w)
        // Two words run together (one clause, several slots).
        for (let i = 0; i + 1 < plain.length && i < 10; i++) checkSearch(engine, oracle, plain[i]! + plain[i + 1]!)
      }),
      { numRuns: 60, seed: 202 },
    )
  })

  it('the oracle itself matches a hand-computed BM25F value', () => {
    // Two documents, body only, k1 = 1.2, b = 0.75: "alpha beta" (length 2), "alpha alpha gamma gamma" (length 4).
    const engine = new SearchEngine({ fields: { body: {} }, ranking: { coordination: 0, proximity: 0 } })
    const oracle = new Oracle(engine)
    for (const doc of [
      { id: 'p', body: 'alpha beta' },
      { id: 'q', body: 'alpha alpha gamma gamma' },
    ]) {
      engine.add(doc)
      oracle.put(doc)
    }
    const idf = Math.log(1 + (2 - 2 + 0.5) / (2 + 0.5))
    const tfP = 1 / (1 - 0.75 + (0.75 * 2) / 3)
    const tfQ = 2 / (1 - 0.75 + (0.75 * 4) / 3)
    const sat = (x: number) => (x * 2.2) / (1.2 + x)
    const expected = oracle.search('alpha')
    expect(expected.map((h) => h.id)).toEqual(['q', 'p'])
    expect(expected[0]!.score).toBeCloseTo(idf * sat(tfQ), 12)
    expect(expected[1]!.score).toBeCloseTo(idf * sat(tfP), 12)
    const hits = engine.search('alpha').hits
    expect(hits.map((h) => h.id)).toEqual(['q', 'p'])
    expect(hits[0]!.score).toBeCloseTo(idf * sat(tfQ), 12)
    expect(hits[1]!.score).toBeCloseTo(idf * sat(tfP), 12)
  })
})

// ---------------------------------------------------------------------------------------------

describe('3. an updated index scores like one built from scratch', () => {
  it('after updates and removes, after compact(), and after save / load', async () => {
    const dir = scratchDir('props')
    let run = 0
    await fc.assert(
      fc.asyncProperty(
        rankingOptions,
        fc.array(action, { minLength: 1, maxLength: 30 }),
        fc.array(anyQuery, { minLength: 1, maxLength: 8 }),
        async (r, actions, queries) => {
          const options = engineOptions(r)
          const engine = new SearchEngine(options)
          const oracle = new Oracle(engine)
          for (const a of actions) apply(engine, oracle, a)
          const fresh = new SearchEngine(options)
          for (const d of oracle.documents) fresh.add(d)
          const bulk = new SearchEngine(options)
          bulk.addAll(oracle.documents.map((d) => d))
          const compare = (e: SearchEngine, label: string) => {
            for (const q of queries) {
              const opts = { limit: 100, snippet: false as const }
              expectSameRanking(e.search(q, opts), fresh.search(q, opts), `${label} ${JSON.stringify(q)}`)
            }
          }
          compare(engine, 'updated')
          compare(bulk, 'addAll')
          const path = join(dir, `index-${run++}.jsz`)
          await engine.save(path)
          compare(await SearchEngine.load(path), 'saved and loaded')
          engine.compact()
          compare(engine, 'compacted')
          compare(SearchEngine.fromBytes(engine.toBytes()), 'fromBytes')
        },
      ),
      { numRuns: 40, seed: 303 },
    )
  })
})

// ---------------------------------------------------------------------------------------------

describe('4. random corruption is always detected', () => {
  it('any set of changed bytes, or a cut with garbage appended, is INDEX_CORRUPT (NOT_AN_INDEX in the magic)', () => {
    const engine = new SearchEngine()
    engine.addAll(sampleArticles().slice(0, 5))
    const bytes = engine.toBytes()
    const changes = fc.uniqueArray(fc.record({ at: fc.nat({ max: bytes.length - 1 }), xor: fc.integer({ min: 1, max: 255 }) }), {
      minLength: 1,
      maxLength: 8,
      selector: (c) => c.at,
    })
    fc.assert(
      fc.property(changes, (list) => {
        const b = Uint8Array.from(bytes)
        for (const { at, xor } of list) b[at] = b[at]! ^ xor
        const expected = list.some((c) => c.at < 4) ? 'NOT_AN_INDEX' : 'INDEX_CORRUPT'
        expect(thrown(() => SearchEngine.fromBytes(b))).toBe(expected)
      }),
      { numRuns: 200, seed: 404 },
    )
    fc.assert(
      fc.property(fc.nat({ max: bytes.length - 1 }), fc.uint8Array({ minLength: 1, maxLength: 64 }), (cut, garbage) => {
        const b = new Uint8Array(cut + garbage.length)
        b.set(bytes.subarray(0, cut))
        b.set(garbage, cut)
        fc.pre(b.length !== bytes.length || b.some((x, i) => x !== bytes[i]))
        const magic = b.length >= 4 && [0, 1, 2, 3].every((i) => b[i] === bytes[i])
        expect(thrown(() => SearchEngine.fromBytes(b))).toBe(magic ? 'INDEX_CORRUPT' : 'NOT_AN_INDEX')
      }),
      { numRuns: 200, seed: 405 },
    )
  })
})
