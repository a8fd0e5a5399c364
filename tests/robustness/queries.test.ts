/**
 * Odd queries and search options: broken syntax degrades (or, with { strict: true }, throws
 * INVALID_QUERY / UNKNOWN_FIELD), bad options are clamped or INVALID_OPTION, nothing hangs, and
 * paging is a consistent view of one ranking.
 */
import { describe, it, expect, beforeAll } from 'vitest'
import fc from 'fast-check'
import { SearchEngine, type SearchResult } from '../../src/index.js'
import { caught, sampleArticles, thrown } from './helpers/common.js'

let engine: SearchEngine

beforeAll(() => {
  engine = new SearchEngine()
  engine.addAll(sampleArticles())
})

function ids(result: SearchResult): string[] {
  return result.hits.map((h) => h.id)
}

/** Hits without the timing, for comparing two searches. */
function comparable(result: SearchResult): unknown {
  return { total: result.total, hits: result.hits.map((h) => ({ id: h.id, score: h.score })) }
}

describe('queries with nothing to search for return 0 hits, no error', () => {
  const empty: [string, string][] = [
    ['empty', ''],
    ['spaces', '   '],
    ['ideographic space, tab, newline', '\u3000\t\n\r'],
    ['Chinese punctuation', '。，！？；：、（）《》'],
    ['ASCII punctuation', '!@#$%^&*()_+=[]{}|\\;\'<>,./?`~'],
    ['stopwords', '的 了 吗 是 在'],
    ['one stopword', '的'],
    ['emoji only', '😀 👍🏽 🇨🇳'],
    ['quotes only', '"" “” 「」'],
    ['a lone quote', '"'],
    ['OR OR', 'OR OR'],
    ['OR alone', 'OR'],
    ['a lone minus', '-'],
    ['minus signs', '- - －'],
    ['only exclusions', '-雷锋 -专利'],
    ['a field with nothing after it', 'title:'],
    ['NUL characters', '\u0000\u0000'],
    ['lone surrogates', '\ud800\udc00\udc00\ud800'],
  ]

  it.each(empty)('%s', (_, query) => {
    let result: SearchResult | undefined
    expect(thrown(() => (result = engine.search(query)))).toBeUndefined()
    expect(result!.total).toBe(0)
    expect(result!.hits).toEqual([])
  })
})

describe('broken syntax degrades to plain words', () => {
  const degrade: [string, string, string][] = [
    ['an unclosed quote', '"雷锋', '雷锋'],
    ['an unclosed curly quote', '“雷锋精神', '雷锋精神'],
    ['an unclosed corner bracket', '「雷锋', '雷锋'],
    ['a trailing quote', '雷锋"', '雷锋'],
    ['OR OR between words', '雷锋 OR OR 专利', '雷锋 OR 专利'],
    ['OR at the start and end', 'OR 雷锋 OR', '雷锋'],
    ['a lone minus before a word', '- 雷锋', '雷锋'],
    ['an unknown field', 'nope:雷锋', '雷锋'],
    ['an unknown field with a full-width colon', 'nope：雷锋', '雷锋'],
  ]

  it.each(degrade)('%s: %s finds what %s finds', (_, broken, plain) => {
    let result: SearchResult | undefined
    expect(thrown(() => (result = engine.search(broken)))).toBeUndefined()
    expect(ids(result!).sort()).toEqual(ids(engine.search(plain)).sort())
    expect(result!.total).toBeGreaterThan(0)
  })

  it('known fields scope the search', () => {
    expect(ids(engine.search('title:雷锋')).sort()).toEqual(['a03', 'a04'])
    expect(engine.search('title:专利').total).toBe(0)
    expect(ids(engine.search('body:专利'))).toContain('a09')
  })
})

describe('strict mode throws on broken syntax', () => {
  const broken: [string, string, string][] = [
    ['an unclosed quote', '"雷锋', 'INVALID_QUERY'],
    ['an unclosed curly quote', '“雷锋', 'INVALID_QUERY'],
    ['a lone minus', '-', 'INVALID_QUERY'],
    ['a lone minus between words', '雷锋 - 专利', 'INVALID_QUERY'],
    ['an unknown field', 'nope:雷锋', 'UNKNOWN_FIELD'],
    ['an unknown field after a minus', '-nope:雷锋', 'UNKNOWN_FIELD'],
    // The parser's contract lists `OR OR` with the broken syntax that strict mode rejects.
    ['OR OR', '雷锋 OR OR 专利', 'INVALID_QUERY'],
  ]

  it.each(broken)('%s: %s → %s', (_, query, code) => {
    expect(thrown(() => engine.search(query, { strict: true }))).toBe(code)
  })

  it('the UNKNOWN_FIELD message names the field and the searchable fields', () => {
    const err = caught(() => engine.search('nope:雷锋', { strict: true }))
    expect(err.message).toContain('nope')
    expect(err.message).toContain('title')
    expect(err.message).toContain('body')
  })

  it('a field with nothing after it is INVALID_QUERY with a message about the field, not about "-"', () => {
    const err = caught(() => engine.search('title:', { strict: true }))
    expect(err.code).toBe('INVALID_QUERY')
    expect(err.message).not.toContain('"-"')
    expect(err.message).toContain('title')
  })

  it('valid queries behave the same in strict mode', () => {
    for (const q of ['雷锋', '"文明行为促进条例"', '雷锋 OR 专利', '雷锋 -精神', 'title:雷锋', 'body:"雷锋精神"']) {
      expect(comparable(engine.search(q, { strict: true }))).toEqual(comparable(engine.search(q)))
    }
  })
})

describe('very long queries return promptly', () => {
  const text = sampleArticles()
    .map((a) => a.body)
    .join('')
  const long: [string, string][] = [
    ['100,000 Latin letters', 'a'.repeat(100_000)],
    ['100,000 copies of one Han character', '雷'.repeat(100_000)],
    ['a 100,000-character article', text.repeat(Math.ceil(100_000 / text.length)).slice(0, 100_000)],
    ['100,000 quotes', '"'.repeat(100_000)],
    ['100,000 minus signs', '-'.repeat(100_000)],
    ['OR repeated', 'OR '.repeat(33_334)],
    ['a field prefix repeated', 'title:'.repeat(16_667)],
    ['words and spaces', '雷锋 '.repeat(33_334)],
    ['short unknown words', Array.from({ length: 20_000 }, (_, i) => `z${i}`).join(' ')],
    ['hyphen-joined Latin', 'ab-'.repeat(33_334)],
  ]

  it.each(long)('%s', (_, query) => {
    expect(query.length).toBeGreaterThanOrEqual(100_000)
    const t = performance.now()
    expect(thrown(() => engine.search(query))).toBeUndefined()
    expect([undefined, 'INVALID_QUERY', 'UNKNOWN_FIELD']).toContain(thrown(() => engine.search(query, { strict: true, limit: 100 })))
    expect(performance.now() - t).toBeLessThan(3_000)
  })

  it('a long query still finds what its beginning asks for', () => {
    expect(ids(engine.search(`雷锋 ${'z'.repeat(100_000)}`)).sort()).toEqual(['a03', 'a04'])
  })
})

describe('limit and offset', () => {
  const all = (): string[] => ids(engine.search('精神', { limit: 100 }))

  it('negative values clamp to 0', () => {
    for (const limit of [-1, -1e9, -Infinity]) {
      const r = engine.search('精神', { limit })
      expect(r.hits).toEqual([])
      expect(r.total).toBe(all().length)
    }
    for (const offset of [-1, -1e9, -Infinity]) expect(ids(engine.search('精神', { offset, limit: 100 }))).toEqual(all())
  })

  it('huge limits clamp to 10,000 and return every hit', () => {
    for (const limit of [10_001, 1e9, 2 ** 53, Number.MAX_VALUE, Infinity]) {
      expect(ids(engine.search('精神', { limit }))).toEqual(all())
    }
  })

  it('huge offsets give an empty page and the full total', () => {
    for (const offset of [all().length, 10_000, 1e9, 2 ** 53, Infinity]) {
      const r = engine.search('精神', { offset })
      expect(r.hits).toEqual([])
      expect(r.total).toBe(all().length)
    }
  })

  it('fractions are floored', () => {
    expect(ids(engine.search('精神', { limit: 2.9 }))).toEqual(all().slice(0, 2))
    expect(ids(engine.search('精神', { offset: 1.9, limit: 2 }))).toEqual(all().slice(1, 3))
  })

  it('null and undefined mean the default', () => {
    expect(ids(engine.search('精神', { limit: null as never, offset: undefined }))).toEqual(all().slice(0, 10))
  })

  it.each([
    ['NaN', NaN],
    ['a numeric string', '3'],
    ['a boolean', true],
    ['an object', {}],
    ['a BigInt', 3n],
  ])('%s is INVALID_OPTION for limit and for offset', (_, value) => {
    expect(thrown(() => engine.search('精神', { limit: value as never }))).toBe('INVALID_OPTION')
    expect(thrown(() => engine.search('精神', { offset: value as never }))).toBe('INVALID_OPTION')
  })

  it('the INVALID_OPTION message shows NaN as NaN (not as null)', () => {
    const err = caught(() => engine.search('精神', { limit: NaN }))
    expect(err.message).toContain('limit')
    expect(err.message).toContain('NaN')
  })
})

describe('other search options', () => {
  it('a non-string query is INVALID_QUERY', () => {
    for (const q of [undefined, null, 42, {}, ['雷锋'], Symbol('雷锋'), () => '雷锋', new String('雷锋')]) {
      expect(thrown(() => engine.search(q as never))).toBe('INVALID_QUERY')
    }
  })

  it('fields: unknown names are UNKNOWN_FIELD, a non-array is INVALID_OPTION, [] finds nothing', () => {
    expect(thrown(() => engine.search('雷锋', { fields: ['nope'] }))).toBe('UNKNOWN_FIELD')
    expect(thrown(() => engine.search('雷锋', { fields: 'title' as never }))).toBe('INVALID_OPTION')
    expect(engine.search('雷锋', { fields: [] }).total).toBe(0)
    expect(ids(engine.search('雷锋', { fields: ['title'] })).sort()).toEqual(['a03', 'a04'])
  })

  it('snippet sizes out of range are clamped like limit (count to 0…100, length to 1…10,000)', () => {
    const snippetsOf = (snippet: object | false) => engine.search('雷锋 精神', { snippet: snippet as never }).hits.map((h) => h.snippets)
    expect(snippetsOf({ count: 0 }).flat()).toEqual([])
    expect(snippetsOf({ count: -1 })).toEqual(snippetsOf({ count: 0 }))
    expect(snippetsOf({ length: 0 })).toEqual(snippetsOf({ length: 1 }))
    expect(snippetsOf({ length: -5 })).toEqual(snippetsOf({ length: 1 }))
    expect(snippetsOf({ length: 1e9 })).toEqual(snippetsOf({ length: 10_000 }))
    expect(snippetsOf({ length: 1, count: 100 }).flat().length).toBeGreaterThan(snippetsOf({ length: 1 }).flat().length)
    expect(engine.search('雷锋 精神', { snippet: false }).hits.every((h) => h.snippets.length === 0 && h.title === undefined)).toBe(true)
  })
})

describe('words the index does not know, around compaction', () => {
  // An unknown word (here the single character 发, indexed only inside 发展) is resolved to a list
  // of matching documents and cached; compaction renumbers documents, so the cache must not survive it.
  function engineWithHole(): SearchEngine {
    const e = new SearchEngine()
    e.add({ id: 'old', body: '其他内容' })
    e.add({ id: 'a', body: '经济发展' })
    e.remove('old')
    return e
  }

  it('the same search before and after compact() finds the same document', () => {
    const e = engineWithHole()
    expect(ids(e.search('发'))).toEqual(['a'])
    e.compact()
    expect(thrown(() => e.search('发'))).toBeUndefined()
    expect(ids(e.search('发', { snippet: false }))).toEqual(['a'])
  })

  it('the same search before and after toBytes() (as save() does) finds the same document', () => {
    const e = engineWithHole()
    expect(ids(e.search('发'))).toEqual(['a'])
    e.toBytes() // what save() does first: compacts
    expect(thrown(() => e.search('发'))).toBeUndefined()
    expect(ids(e.search('发', { snippet: false }))).toEqual(['a'])
  })
})

describe('paging is one consistent ranking', () => {
  function pages(e: SearchEngine, query: string, size: number): { hits: string[]; totals: Set<number> } {
    const hits: string[] = []
    const totals = new Set<number>()
    const total = e.search(query, { limit: 0 }).total
    for (let offset = 0; offset < total + size; offset += size) {
      const r = e.search(query, { limit: size, offset })
      totals.add(r.total)
      hits.push(...ids(r))
    }
    return { hits, totals }
  }

  it('on the sample newspaper: pages concatenate to the full list, total constant', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('精神', '雷锋 精神', '企业 发展 服务', '文明 OR 科技', '工作 -培训', '"雷锋精神"', '区 的 会'),
        fc.integer({ min: 1, max: 7 }),
        (query, size) => {
          const full = engine.search(query, { limit: 10_000 })
          const { hits, totals } = pages(engine, query, size)
          expect(hits).toEqual(ids(full))
          expect([...totals]).toEqual([full.total])
        },
      ),
      { numRuns: 40, seed: 20240301 },
    )
  })

  it('with more than 100 matches: page 2 continues page 1, the first page does not depend on the page size', () => {
    // 120 short documents with both words apart, 5 longer ones with the words side by side:
    // the proximity bonus lifts the 5 above the 120, whatever page is asked for.
    const e = new SearchEngine()
    e.addAll([
      ...Array.from({ length: 120 }, (_, i) => ({ id: `apart${i}`, body: 'alpha gamma beta' })),
      ...Array.from({ length: 5 }, (_, i) => ({ id: `adjacent${i}`, body: 'alpha beta delta epsilon zeta' })),
    ])
    const query = 'alpha,beta'
    const full = e.search(query, { limit: 10_000 })
    expect(full.total).toBe(125)
    expect(ids(e.search(query, { limit: 10 }))).toEqual(ids(full).slice(0, 10))
    const { hits, totals } = pages(e, query, 10)
    expect(new Set(hits).size).toBe(hits.length)
    expect(hits).toEqual(ids(full))
    expect([...totals]).toEqual([125])
  })
})
