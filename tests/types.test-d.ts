/**
 * Type tests of the public API (vitest typecheck: these run under tsc, not at run time). They pin
 * what a TypeScript user writes: documents declared as interfaces, hits typed by them.
 */
import { describe, it, expectTypeOf } from 'vitest'
import {
  SearchEngine,
  VERSION,
  type Document,
  type DocumentShape,
  type HighlightTags,
  type SearchHit,
  type Filter,
  type FacetBucket,
  type Explanation,
  type SearchResult,
  type SegmenterName,
  type NormalizeOptions,
  type ReadJsonlResult,
} from '../src/index.js'

/** A document type as users declare it: an interface, so without an index signature. */
interface Article {
  id: string
  title: string
  body: string
  date: string
  views?: number
}

describe('SearchEngine<Doc>', () => {
  it('accepts documents declared as interfaces', () => {
    const engine = new SearchEngine<Article>()
    expectTypeOf(engine.add).parameter(0).toEqualTypeOf<Article>()
    expectTypeOf(engine.update).parameter(0).toEqualTypeOf<Article>()
    expectTypeOf(engine.addAll).parameter(0).toEqualTypeOf<Iterable<Article>>()
    expectTypeOf(engine.addAllParallel).parameter(0).toEqualTypeOf<Iterable<Article>>()
    // @ts-expect-error a document needs its id
    engine.add({ title: '标题', body: '正文', date: '2024-03-05' })
    // @ts-expect-error fields have the declared types
    engine.add({ id: 'a1', title: 5, body: '正文', date: '2024-03-05' })
  })

  it('types hits, get() and loaded engines by the document type', () => {
    const engine = new SearchEngine<Article>()
    expectTypeOf(engine.search('雷锋')).toEqualTypeOf<SearchResult<Article>>()
    expectTypeOf(engine.search('雷锋').hits[0]!.doc).toEqualTypeOf<Article>()
    expectTypeOf(engine.search('雷锋').hits[0]!.doc.date).toEqualTypeOf<string>()
    expectTypeOf(engine.get('a1')).toEqualTypeOf<Article | undefined>()
    expectTypeOf(SearchEngine.load<Article>).returns.resolves.toEqualTypeOf<SearchEngine<Article>>()
    expectTypeOf(SearchEngine.fromBytes<Article>).returns.toEqualTypeOf<SearchEngine<Article>>()
  })

  it('without a type argument, any object with a string id is a document', () => {
    const engine = new SearchEngine()
    expectTypeOf(engine).toEqualTypeOf<SearchEngine<Document>>()
    expectTypeOf(engine.search('雷锋').hits).toEqualTypeOf<SearchHit<Document>[]>()
    expectTypeOf(engine.search('雷锋').hits[0]!.doc.anything).toEqualTypeOf<unknown>()
    expectTypeOf<Article>().toMatchTypeOf<DocumentShape>()
    // @ts-expect-error an id must be a string
    engine.add({ id: 1, title: '标题' })
  })
})

describe('exported types', () => {
  it('names every type the API takes or returns', () => {
    expectTypeOf<HighlightTags>().toEqualTypeOf<{ pre: string; post: string }>()
    expectTypeOf<SegmenterName>().toEqualTypeOf<'nodejieba' | 'node-rs-jieba'>()
    expectTypeOf<NormalizeOptions>().toBeObject()
    expectTypeOf<ReadJsonlResult['lines']>().toEqualTypeOf<number[]>()
    expectTypeOf(VERSION).toEqualTypeOf<string>()
  })
})

describe('structured search types', () => {
  it('types filter, sort, facets and explain', () => {
    const engine = new SearchEngine({ fields: { title: {}, date: { type: 'date' }, column: { type: 'keyword' } } })
    const filter: Filter = { date: { gte: '2024-01-01', lt: new Date() }, column: ['要闻'], not: { column: '社会' }, or: [{ date: '2023' }] }
    const result = engine.search('雷锋', { filter, sort: [{ date: 'desc' }, '_score'], facets: { column: { limit: 5 }, date: { interval: 'month' } }, explain: true })
    expectTypeOf(result.facets).toEqualTypeOf<Record<string, FacetBucket[]> | undefined>()
    expectTypeOf(result.hits[0]!.explain).toEqualTypeOf<Explanation | undefined>()
    expectTypeOf<Explanation['terms'][number]['fields'][number]['lengthNorm']>().toEqualTypeOf<number>()
    // @ts-expect-error a sort direction is asc or desc
    engine.search('雷锋', { sort: { date: 'down' } })
    // @ts-expect-error a date facet interval is year, month or day
    engine.search('雷锋', { facets: { date: { interval: 'week' } } })
    // @ts-expect-error a field type is text, date, keyword or number
    new SearchEngine({ fields: { title: {}, date: { type: 'time' } } })
  })
})
