/**
 * Structured search cost: the same queries plain, with a date-range filter, with a keyword
 * filter, sorted by date, and with two facets; plus facets over every document (`search('')`).
 * The acceptance run of the structured-search issue: each row's p50 ≤ 2× the plain p50, and the
 * all-documents facet ≤ 5 ms.
 *
 *   npm run bench:structured -- [--corpus ../shared/corpus/xwlb-news/corpus.jsonl] [--passes 5] [--json <file>] [--md <file>]
 *
 * `npm run bench` runs it too (after the peer comparison, when jiansuo runs on one corpus; `--no-structured` skips it).
 *
 * One process, jiansuo from src/. Documents get their corpus `date` as a date field and, as a
 * keyword field `column`, the 【…】 tag that opens many xwlb titles (a programme column such as
 * 【新思想引领新征程】), so the keyword filter and facet are real data, not invented. Each query is
 * timed once per pass (after one warm-up pass; passes interleave the rows); a query's time is its median over passes, and
 * the table shows medians and 99th percentiles over queries — no snippets (`snippet: false`),
 * top 10.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { SearchEngine, type SearchOptions } from '../src/index.js'
import { generateQueries } from './lib/queries.js'
import { DEFAULT_SEED } from './lib/random.js'
import { fmt, markdownTable, median, percentile } from './lib/stats.js'
import { optNumber, optString, parseCli } from './lib/cli.js'

const DEFAULT_CORPUS = '/work/shared/corpus/xwlb-news/corpus.jsonl'
const SCHEMA = { fields: { title: { boost: 2 }, text: {}, date: { type: 'date' }, column: { type: 'keyword' } } } as const
const log = (msg: string) => process.stderr.write(`${msg}\n`)

interface Row {
  name: string
  /** The same for every query, or per query (a different filter each time defeats the filter cache). */
  options: SearchOptions | ((query: number) => SearchOptions)
  /** Query text override (the all-documents facet has no words). */
  empty?: boolean
}

const opts = parseCli(process.argv.slice(2))
const corpus = optString(opts, 'corpus') ?? DEFAULT_CORPUS
const passes = optNumber(opts, 'passes', 5)

const docs = readFileSync(corpus, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => {
    const o = JSON.parse(l) as { id: string; title?: string; text?: string; date?: string }
    const tag = /^【([^】]{1,30})】/.exec(o.title ?? '')?.[1]
    return { id: o.id, title: o.title ?? '', text: o.text ?? '', date: o.date ?? null, column: tag ?? null }
  })
const queries = generateQueries(docs, 200, DEFAULT_SEED)
log(`${docs.length} docs, ${queries.length} queries (seed ${DEFAULT_SEED}), ${passes} passes`)

const engine = new SearchEngine(SCHEMA)
let t = performance.now()
await engine.addAllParallel(docs)
log(`built in ${((performance.now() - t) / 1000).toFixed(1)} s`)
engine.warm()

// The most used column, and a three-month range in the middle of the corpus's years.
const columnCounts = engine.search('', { limit: 0, facets: { column: { limit: 1 } } }).facets!.column!
const topColumn = columnCounts[0]!.value
const rows: Row[] = [
  { name: 'plain', options: {} },
  { name: 'date range filter (3 months)', options: { filter: { date: { gte: '2024-01-01', lt: '2024-04-01' } } } },
  {
    name: 'date range filter, another range per query (uncached)',
    // Three months starting on a different day each time (within the corpus's 2022-09 … 2026-08).
    options: (q) => {
      const start = Date.UTC(2022, 9, 1) + ((q * 7) % 1000) * 86_400_000
      return { filter: { date: { gte: new Date(start), lt: new Date(start + 90 * 86_400_000) } } }
    },
  },
  { name: `keyword filter (column = ${topColumn})`, options: { filter: { column: topColumn } } },
  { name: 'keyword filter, any of 2 and not', options: { filter: { or: [{ column: topColumn }, { date: '2023' }], not: { date: '2023-06' } } } },
  { name: 'sorted by date (newest first)', options: { sort: [{ date: 'desc' }, '_score'] } },
  { name: 'two facets (column top 10, date by year)', options: { facets: { column: { limit: 10 }, date: { interval: 'year' } } } },
  { name: 'filter + sort + facets', options: { filter: { date: { gte: '2023' } }, sort: 'date:desc', facets: { column: true } } },
  { name: "facets over all documents (search(''))", options: { facets: { column: { limit: 10 }, date: { interval: 'month' } } }, empty: true },
]

/**
 * Microseconds per query and row (median over passes). Passes interleave the rows, so a busy
 * moment on this shared machine slows every row alike instead of one.
 */
function measureAll(): number[][] {
  const texts = rows.map((row) => (row.empty ? [''] : queries.map((q) => q.text)))
  const options = (r: number, q: number): SearchOptions => {
    const o = rows[r]!.options
    return { limit: 10, snippet: false, ...(typeof o === 'function' ? o(q) : o) }
  }
  // The warm-up pass of a per-query row uses other values than the timed passes (no cache hit).
  rows.forEach((_, r) => texts[r]!.forEach((text, i) => engine.search(text, options(r, typeof rows[r]!.options === 'function' ? i + 1000 : i))))
  const times = rows.map((_, r) => texts[r]!.map(() => [] as number[]))
  for (let p = 0; p < passes; p++) {
    rows.forEach((_, r) => {
      texts[r]!.forEach((text, i) => {
        // Per-query rows: a fresh range in every pass too.
        const o = options(r, typeof rows[r]!.options === 'function' ? i + 2000 * (p + 1) : i)
        const t0 = performance.now()
        engine.search(text, o)
        times[r]![i]!.push((performance.now() - t0) * 1000)
      })
    })
  }
  return times.map((perQuery) => perQuery.map(median))
}

const results = measureAll().map((perQuery, r) => ({ name: rows[r]!.name, p50: median(perQuery), p99: percentile(perQuery, 99), queries: perQuery.length }))
const plain = results[0]!
const table = markdownTable(
  ['search', 'queries', 'p50 µs', 'p99 µs', 'p50 / plain p50'],
  results.map((r) => [r.name, String(r.queries), fmt(r.p50, 0), fmt(r.p99, 0), r === plain ? '1.00' : (r.p50 / plain.p50).toFixed(2)]),
)
const md = `## Structured search — ${new Date().toISOString().slice(0, 10)}\n\n${docs.length} documents (${corpus.split('/').slice(-2).join('/')}), ${queries.length} generated queries, top 10 without snippets, median of ${passes} passes per query; ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}.\n\n${table}\n`
process.stdout.write(md)
const jsonOut = optString(opts, 'json')
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ corpus, passes, results }, null, 2))
const mdOut = optString(opts, 'md')
if (mdOut) writeFileSync(mdOut, md)

