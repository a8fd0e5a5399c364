/**
 * Structured search on typed fields: filters, sort, facets and explain, each checked against a
 * brute-force oracle over the unfiltered full result (fast-check over random filters), on the
 * sample newspaper's paragraphs given seeded dates (2022–2026), columns and view counts. Every
 * check runs with pruning off and forced on, so both execution paths are held to the oracle.
 */
import { describe, it, expect, beforeAll, afterEach } from 'vitest'
import fc from 'fast-check'
import { SearchEngine, type Filter, type SearchHit } from '../src/index.js'
import { pruning } from '../src/query/execute.js'
import { sampleArticles } from './helpers.js'

const DEFAULTS = { ...pruning }
afterEach(() => Object.assign(pruning, DEFAULTS))

type Item = {
  id: string
  title: string
  body: string
  date?: string
  column?: string[]
  views?: number
}

const COLUMNS = ['要闻', '社会', '经济', '文化']
const SCHEMA = { fields: { title: { boost: 3 }, body: {}, date: { type: 'date' }, column: { type: 'keyword' }, views: { type: 'number' } } } as const

function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/** Every paragraph of the sample as a document, with seeded typed values (some left out). */
function corpus(): Item[] {
  const random = lcg(2024)
  const items: Item[] = []
  for (const article of sampleArticles()) {
    String(article.body)
      .split('\n')
      .filter((p) => p.trim().length > 10)
      .forEach((paragraph, i) => {
        const item: Item = { id: `${article.id}-${i}`, title: String(article.title), body: paragraph }
        if (random() < 0.9) {
          const day = Math.floor(random() * 365 * 4)
          item.date = new Date(Date.UTC(2022, 0, 1) + day * 86_400_000).toISOString().slice(0, 10)
        }
        if (random() < 0.85) item.column = COLUMNS.filter(() => random() < 0.4)
        if (random() < 0.8) item.views = Math.floor(random() * 1000)
        items.push(item)
      })
  }
  return items
}

const QUERIES = ['雷锋', '志愿服务', '企业 发展', '文明 实践 活动', '街道 社区', '专利', '"文明行为促进条例"', '活动 -雷锋', '服务 OR 招商']

let items: Item[]
let byId: Map<string, Item>
let engine: SearchEngine<Item>

beforeAll(() => {
  items = corpus()
  byId = new Map(items.map((i) => [i.id, i]))
  engine = new SearchEngine(SCHEMA)
  engine.addAll(items)
})

/** Run with pruning off, then forced on; both must agree, and the exhaustive result is returned. */
function bothPaths<T>(run: () => T): T {
  Object.assign(pruning, DEFAULTS, { minPostings: Infinity })
  const exhaustive = run()
  Object.assign(pruning, DEFAULTS, { minPostings: 0 })
  const pruned = run()
  Object.assign(pruning, DEFAULTS)
  expect(pruned).toEqual(exhaustive)
  return exhaustive
}

const ALL = { limit: 10_000, snippet: false } as const
const pairs = (hits: readonly { id: string; score: number }[]) => hits.map((h) => [h.id, h.score] as const)
const DAY = 86_400_000
const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`)

// A filter model: the engine's filter and the oracle's predicate, generated together.
type Model = { filter: Filter; test: (item: Item) => boolean }
const isoDay = fc.integer({ min: 0, max: 365 * 4 }).map((d) => new Date(Date.UTC(2022, 0, 1) + d * DAY).toISOString().slice(0, 10))
const dateRange: fc.Arbitrary<Model> = fc.tuple(isoDay, isoDay).map(([a, b]) => {
  const [lo, hi] = a < b ? [a, b] : [b, a]
  return { filter: { date: { gte: lo, lt: hi } }, test: (i) => i.date !== undefined && i.date >= lo && i.date < hi }
})
const monthPeriod: fc.Arbitrary<Model> = fc.tuple(fc.integer({ min: 2022, max: 2025 }), fc.integer({ min: 1, max: 12 })).map(([y, m]) => {
  const month = `${y}-${String(m).padStart(2, '0')}`
  return { filter: { date: month }, test: (i) => i.date?.startsWith(month) === true }
})
const keyword: fc.Arbitrary<Model> = fc.subarray(COLUMNS, { minLength: 1 }).map((wanted) => ({
  filter: { column: wanted },
  test: (i) => (i.column ?? []).some((c) => wanted.includes(c)),
}))
const views: fc.Arbitrary<Model> = fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.boolean()).map(([x, above]) => ({
  filter: { views: above ? { gt: x } : { lte: x } },
  test: (i) => i.views !== undefined && (above ? i.views > x : i.views <= x),
}))
const leaf = fc.oneof(dateRange, monthPeriod, keyword, views)
const model: fc.Arbitrary<Model> = fc.oneof(
  leaf,
  fc.tuple(leaf, leaf).map(([a, b]) => ({ filter: { and: [a.filter, b.filter] }, test: (i: Item) => a.test(i) && b.test(i) })),
  fc.tuple(leaf, leaf).map(([a, b]) => ({ filter: { or: [a.filter, b.filter] }, test: (i: Item) => a.test(i) || b.test(i) })),
  leaf.map((a) => ({ filter: { not: a.filter }, test: (i: Item) => !a.test(i) })),
)

describe('filters', () => {
  it('equal a brute-force filter of the unfiltered full result (hits, order, scores, total)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...QUERIES), model, (query, { filter, test }) => {
        const full = engine.search(query, ALL)
        const expected = full.hits.filter((h) => test(byId.get(h.id)!))
        const filtered = bothPaths(() => {
          const r = engine.search(query, { ...ALL, filter })
          return { total: r.total, hits: pairs(r.hits) }
        })
        expect(filtered.total).toBe(expected.length)
        expect(filtered.hits).toEqual(pairs(expected))
      }),
      { numRuns: 150, seed: 10 },
    )
  })

  it('pages of a filtered search concatenate to the full filtered result', () => {
    const filter = { column: ['社会', '文化'] }
    const whole = engine.search('活动', { ...ALL, filter }).hits.map((h) => h.id)
    expect(whole.length).toBeGreaterThan(12)
    const paged = [0, 5, 10].flatMap((offset) => engine.search('活动', { snippet: false, filter, limit: 5, offset }).hits.map((h) => h.id))
    expect(paged).toEqual(whole.slice(0, 15))
  })

  it('date bounds take whole periods: lte a month includes its last day, gt a month starts after it', () => {
    const march = items.filter((i) => i.date?.startsWith('2023-03'))
    expect(march.length).toBeGreaterThan(0)
    const lte = new Set(engine.search('', { ...ALL, filter: { date: { lte: '2023-03' } } }).hits.map((h) => h.id))
    const gt = new Set(engine.search('', { ...ALL, filter: { date: { gt: '2023-03' } } }).hits.map((h) => h.id))
    for (const i of march) {
      expect(lte.has(i.id)).toBe(true)
      expect(gt.has(i.id)).toBe(false)
    }
    expect(lte.size + gt.size).toBe(items.filter((i) => i.date).length)
  })

  it('documents without a value never pass a filter on that field, and not: includes them', () => {
    const undated = items.filter((i) => !i.date).map((i) => i.id)
    expect(undated.length).toBeGreaterThan(0)
    const any = engine.search('', { ...ALL, filter: { date: { gte: '1900' } } }).hits.map((h) => h.id)
    expect(any.some((id) => undated.includes(id))).toBe(false)
    const none = engine.search('', { ...ALL, filter: { not: { date: { gte: '1900' } } } }).hits.map((h) => h.id)
    expect(none).toEqual(undated)
  })
})

describe('filters in the query syntax', () => {
  it('date:2023-03 equals the filter { date: "2023-03" } (and the words still rank)', () => {
    const syntax = engine.search('活动 date:2023-03', ALL)
    const option = engine.search('活动', { ...ALL, filter: { date: '2023-03' } })
    expect(pairs(syntax.hits)).toEqual(pairs(option.hits))
    expect(syntax.total).toBeLessThan(engine.search('活动', ALL).total)
  })

  it('a range includes both end periods; comparison operators work on numbers', () => {
    const range = engine.search('date:2023-01..2023-03', ALL).hits.map((h) => h.id)
    expect(range).toEqual(items.filter((i) => i.date && i.date >= '2023-01-01' && i.date <= '2023-03-31').map((i) => i.id))
    const many = engine.search('views:>=500', ALL).hits.map((h) => h.id)
    expect(many).toEqual(items.filter((i) => i.views !== undefined && i.views >= 500).map((i) => i.id))
  })

  it('one field twice means either; -field: excludes; different fields must all hold', () => {
    const either = engine.search('column:要闻 column:社会', ALL).hits.map((h) => h.id)
    expect(either).toEqual(items.filter((i) => i.column?.some((c) => c === '要闻' || c === '社会')).map((i) => i.id))
    const without = engine.search('企业 -column:经济', ALL).hits.map((h) => h.id)
    const expected = engine.search('企业', ALL).hits.map((h) => h.id).filter((id) => !byId.get(id)!.column?.includes('经济'))
    expect(without).toEqual(expected)
    const both = engine.search('column:要闻 views:<100', ALL).hits.map((h) => h.id)
    expect(both).toEqual(items.filter((i) => i.column?.includes('要闻') && i.views !== undefined && i.views < 100).map((i) => i.id))
  })

  it('a value that is not of the field type is searched as words, or INVALID_QUERY when strict', () => {
    expect(engine.search('date:明天', ALL).total).toBe(engine.search('date 明天', ALL).total)
    expect(() => engine.search('date:明天', { strict: true })).toThrow(expect.objectContaining({ code: 'INVALID_QUERY' }))
    expect(() => engine.search('date:2023-02-30', { strict: true })).toThrow(expect.objectContaining({ code: 'INVALID_QUERY' }))
  })
})

describe('a search without words', () => {
  it('lists every document that passes the filter, in insertion order, with score 0', () => {
    const r = engine.search('', { ...ALL, filter: { column: '文化' } })
    expect(r.hits.map((h) => h.id)).toEqual(items.filter((i) => i.column?.includes('文化')).map((i) => i.id))
    expect(r.hits.every((h) => h.score === 0)).toBe(true)
  })

  it('with a sort, facets or filter, an empty query lists every document and exclusions alone remove from all', () => {
    // Without any of them, no words still find nothing (tests/robustness/queries.test.ts).
    expect(engine.search('', ALL).total).toBe(0)
    expect(engine.search('', { ...ALL, sort: 'date:desc' }).total).toBe(items.length)
    expect(engine.search('', { limit: 0, facets: { column: true } }).total).toBe(items.length)
    const notLeifeng = engine.search('-雷锋', { ...ALL, sort: '_score' }).hits.map((h) => h.id)
    const leifeng = new Set(engine.search('雷锋', ALL).hits.map((h) => h.id))
    expect(notLeifeng).toEqual(items.map((i) => i.id).filter((id) => !leifeng.has(id)))
  })
})

describe('sort', () => {
  const jsSort = (hits: SearchHit<Item>[], desc: boolean) => {
    const order = new Map(items.map((item, i) => [item.id, i]))
    return hits.slice().sort((a, b) => {
      const da = byId.get(a.id)!.date
      const db = byId.get(b.id)!.date
      if (da !== db) {
        if (da === undefined) return 1
        if (db === undefined) return -1
        return desc ? (da < db ? 1 : -1) : da < db ? -1 : 1
      }
      return b.score - a.score || order.get(a.id)! - order.get(b.id)!
    })
  }

  it.each(QUERIES)('by date (newest first, then score) equals a JS sort of all matches: %s', (query) => {
    const full = engine.search(query, ALL)
    for (const desc of [true, false]) {
      const sorted = bothPaths(() => pairs(engine.search(query, { ...ALL, sort: [{ date: desc ? 'desc' : 'asc' }, '_score'] }).hits))
      expect(sorted).toEqual(pairs(jsSort(full.hits, desc)))
    }
  })

  it('pages agree with the full sorted list (ties on one day included)', () => {
    const sort = ['date:desc' as const]
    const whole = engine.search('活动', { ...ALL, sort }).hits.map((h) => h.id)
    const paged = [0, 3, 6, 9].flatMap((offset) => engine.search('活动', { snippet: false, sort, limit: 3, offset }).hits.map((h) => h.id))
    expect(paged).toEqual(whole.slice(0, 12))
  })

  it('by a number ascending, missing values last; by keyword; and under a filter', () => {
    const r = engine.search('', { ...ALL, sort: { views: 'asc' }, filter: { column: '经济' } }).hits.map((h) => byId.get(h.id)!.views)
    const present = r.filter((v) => v !== undefined) as number[]
    expect(present).toEqual(present.slice().sort((a, b) => a - b))
    expect(r.slice(present.length).every((v) => v === undefined)).toBe(true)
    const kw = engine.search('', { ...ALL, sort: 'column:asc' }).hits.map((h) => byId.get(h.id)!.column?.slice().sort()[0])
    const withValue = kw.filter((v) => v !== undefined) as string[]
    expect(withValue).toEqual(withValue.slice().sort())
  })
})

describe('facets', () => {
  it('count every matching document (not the page), equal to brute force, under random filters', () => {
    fc.assert(
      fc.property(fc.constantFrom('', ...QUERIES), fc.option(model, { nil: undefined }), (query, m) => {
        const r = bothPaths(() => {
          const res = engine.search(query, { snippet: false, limit: 3, ...(m ? { filter: m.filter } : {}), facets: { column: { limit: 10 }, date: { interval: 'year' }, views: { ranges: [{ lt: 500 }, { gte: 500 }] } } })
          return { total: res.total, facets: res.facets }
        })
        // sort: '_score' changes no order, but lists every document for the empty query.
        const matching = engine.search(query, { ...ALL, sort: '_score', ...(m ? { filter: m.filter } : {}) }).hits.map((h) => byId.get(h.id)!)
        expect(r.total).toBe(matching.length)
        const columnCounts = new Map<string, number>()
        for (const item of matching) for (const c of new Set(item.column ?? [])) columnCounts.set(c, (columnCounts.get(c) ?? 0) + 1)
        const columnExpected = [...columnCounts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
        expect(r.facets!.column).toEqual(columnExpected)
        const years = new Map<string, number>()
        for (const item of matching) if (item.date) years.set(item.date.slice(0, 4), (years.get(item.date.slice(0, 4)) ?? 0) + 1)
        expect(r.facets!.date).toEqual([...years].sort().map(([value, count]) => ({ value, count })))
        const withViews = matching.filter((i) => i.views !== undefined)
        expect(r.facets!.views).toEqual([
          { value: '..500', count: withViews.filter((i) => i.views! < 500).length },
          { value: '500..', count: withViews.filter((i) => i.views! >= 500).length },
        ])
      }),
      { numRuns: 60, seed: 11 },
    )
  })

  it('month and day intervals, and the keyword limit', () => {
    const r = engine.search('', { limit: 0, facets: { date: { interval: 'month' }, column: { limit: 2 } } })
    const months = new Map<string, number>()
    for (const i of items) if (i.date) months.set(i.date.slice(0, 7), (months.get(i.date.slice(0, 7)) ?? 0) + 1)
    expect(r.facets!.date).toEqual([...months].sort().map(([value, count]) => ({ value, count })))
    expect(r.facets!.column).toHaveLength(2)
    const days = engine.search('', { limit: 0, facets: { date: { interval: 'day' } } }).facets!.date!
    expect(days.reduce((s, b) => s + b.count, 0)).toBe(items.filter((i) => i.date).length)
    expect(days.every((b) => /^\d{4}-\d{2}-\d{2}$/.test(b.value) && dayOf(b.value) >= Date.UTC(2022, 0, 1))).toBe(true)
  })
})

describe('explain', () => {
  it('parts sum to the score, bit for bit, with proximity and coordination', () => {
    const coordinated = new SearchEngine({ ...SCHEMA, ranking: { coordination: 1 } })
    coordinated.addAll(items)
    for (const e of [engine, coordinated]) {
      for (const query of QUERIES) {
        const r = bothPaths(() => e.search(query, { limit: 20, snippet: false, explain: true }).hits.map((h) => ({ score: h.score, explain: h.explain })))
        for (const { score, explain } of r) {
          expect(explain).toBeDefined()
          const sum = explain!.terms.reduce((s, t) => s + t.value, 0) * explain!.coordination
          expect(explain!.proximity === 0 ? sum : sum + explain!.proximity).toBe(score)
          expect(explain!.score).toBe(score)
        }
      }
    }
  })

  it('names the matched terms and fields with their tf, boost and length norm', () => {
    // One clause of two words found side by side: a proximity part.
    const hit = engine.search('文明实践', { limit: 1, explain: true }).hits[0]!
    const terms = hit.explain!.terms.map((t) => t.term)
    expect(terms).toEqual(['文明', '实践'])
    const title = hit.explain!.terms[0]!.fields.find((f) => f.field === 'title')!
    expect(title.boost).toBe(3)
    expect(title.tf).toBeGreaterThan(0)
    expect(title.lengthNorm).toBeGreaterThan(0)
    expect(hit.explain!.proximity).toBeGreaterThan(0)
    expect(engine.search('雷锋', { limit: 1 }).hits[0]!.explain).toBeUndefined()
  })
})

describe('typed fields as data', () => {
  it('survive save and load, removal with compaction, and update', () => {
    const e = new SearchEngine<Item>(SCHEMA)
    e.addAll(items)
    const filter = { date: { gte: '2024-01-01' }, column: ['要闻'] }
    const before = pairs(e.search('活动', { ...ALL, filter }).hits)
    const loaded = SearchEngine.fromBytes<Item>(e.toBytes())
    expect(pairs(loaded.search('活动', { ...ALL, filter }).hits)).toEqual(before)
    expect(loaded.options.columns).toEqual([
      { name: 'date', type: 'date' },
      { name: 'column', type: 'keyword' },
      { name: 'views', type: 'number' },
    ])
    // Remove half (the index compacts, renumbering ids): the columns must follow their documents.
    const removed = items.filter((_, i) => i % 2 === 0)
    for (const item of removed) loaded.remove(item.id)
    loaded.compact()
    const kept = new Set(items.filter((_, i) => i % 2 === 1).map((i) => i.id))
    expect(loaded.search('', { ...ALL, filter }).hits.map((h) => h.id)).toEqual(items.filter((i) => kept.has(i.id) && i.date! >= '2024' && i.column?.includes('要闻')).map((i) => i.id))
    const target = items.find((i) => kept.has(i.id))!
    loaded.update({ ...target, date: '2030-05-05', column: ['新栏目'] })
    expect(loaded.search('', { ...ALL, filter: { column: '新栏目' } }).hits.map((h) => h.id)).toEqual([target.id])
    expect(loaded.search('', { ...ALL, filter: { date: '2030' } }).hits.map((h) => h.id)).toEqual([target.id])
  })

  it('an empty date text is no value (as exports write it), not an error', () => {
    const e = new SearchEngine(SCHEMA)
    e.add({ id: 'x', title: '雷锋', body: '', date: '' } as never)
    expect(e.search('', { filter: { not: { date: { gte: '0000' } } } }).hits.map((h) => h.id)).toEqual(['x'])
    expect(e.search('', { filter: { date: { gte: '0000' } } }).total).toBe(0)
  })

  it('dates: ISO dates, date-times with zones (as instants) and Date objects', () => {
    const e = new SearchEngine(SCHEMA)
    e.addAll([
      { id: 'a', title: '雷锋', body: '', date: '2024-03-05T23:30:00-02:00' },
      { id: 'b', title: '雷锋', body: '', date: new Date(Date.UTC(2024, 2, 5, 12)) },
      { id: 'c', title: '雷锋', body: '', date: '2024-03-05' },
    ] as unknown as Item[])
    expect(e.search('', { ...ALL, filter: { date: '2024-03-05' } }).hits.map((h) => h.id)).toEqual(['b', 'c'])
    expect(e.search('', { ...ALL, filter: { date: '2024-03-06' } }).hits.map((h) => h.id)).toEqual(['a'])
  })
})

describe('bad structured input', () => {
  it.each([
    [{ filter: { nope: 'x' } }, 'UNKNOWN_FIELD', /nope.*date, column, views/],
    [{ filter: { title: '雷锋' } }, 'UNKNOWN_FIELD', /title/],
    [{ filter: { date: { gte: 'yesterday' } } }, 'INVALID_OPTION', /filter\.date\.gte.*ISO date/],
    [{ filter: { date: { from: '2024' } } }, 'INVALID_OPTION', /range with gte/],
    [{ filter: { views: '12' } }, 'INVALID_OPTION', /filter\.views.*a number/],
    [{ filter: { column: [1] } }, 'INVALID_OPTION', /keyword/],
    [{ filter: { and: 'x' } }, 'INVALID_OPTION', /filter\.and/],
    [{ filter: [] }, 'INVALID_OPTION', /filter/],
    [{ sort: { date: 'down' } }, 'INVALID_OPTION', /'asc' or 'desc'/],
    [{ sort: 'body' }, 'UNKNOWN_FIELD', /body.*not a typed field/],
    [{ sort: [] }, 'INVALID_OPTION', /sort/],
    [{ facets: { date: { interval: 'week' } } }, 'INVALID_OPTION', /interval/],
    [{ facets: { column: { limitt: 3 } } }, 'INVALID_OPTION', /limitt.*did you mean "limit"/],
    [{ facets: { views: {} } }, 'INVALID_OPTION', /ranges/],
    [{ facets: { body: true } }, 'UNKNOWN_FIELD', /body/],
    [{ explain: 'yes' }, 'INVALID_OPTION', /explain/],
  ])('%j → %s', (options, code, message) => {
    let error: unknown
    try {
      engine.search('雷锋', options as never)
    } catch (err) {
      error = err
    }
    expect(error).toMatchObject({ code })
    expect((error as Error).message).toMatch(message)
  })

  it.each([
    [{ date: 'soon' }, /date field date = "soon"/],
    [{ date: '2024-13-01' }, /ISO date/],
    [{ views: Infinity }, /finite number/],
    [{ column: [1, 2] }, /keyword field column/],
  ])('a document with %j is INVALID_DOCUMENT and is not added', (values, message) => {
    const e = new SearchEngine(SCHEMA)
    expect(() => e.add({ id: 'x', title: '雷锋', body: '', ...values } as never)).toThrow(expect.objectContaining({ code: 'INVALID_DOCUMENT', message: expect.stringMatching(message) }))
    expect(e.size).toBe(0)
  })

  it.each([
    [{ fields: { title: {}, date: { type: 'date', boost: 2 } } }, /boost/],
    [{ fields: { title: {}, date: { type: 'time' } } }, /type/],
    [{ fields: { date: { type: 'date' } } }, /at least one text field/],
    [{ fields: { title: {}, not: { type: 'keyword' } } }, /reserved/],
  ])('schema %j → INVALID_OPTION', (options, message) => {
    expect(() => new SearchEngine(options as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(message) }))
  })
})
