/**
 * Shared machinery of `bench/eval.ts` and `bench/eval/ablate.ts`: the engine adapter interface,
 * the jiansuo adapter, one timed evaluation pass, and table formatting.
 */
import { summarize, summarizeScored, groupByPrefix, type Summary, type PerQuery, type QueryRun } from './metrics.js'
import type { Doc, Pool } from './data.js'

/** What the harness needs from an engine under test. */
export interface EngineAdapter {
  name: string
  /** One-off setup not counted as build time (module import, segmenter dictionary load). */
  prepare?(): void | Promise<void>
  /** Index all docs (timed as build time). */
  build(docs: readonly Doc[]): void | Promise<void>
  /** Ids of the best hits, best first, at most `limit`. */
  search(query: string, limit: number): readonly string[] | Promise<readonly string[]>
  close?(): void
}

/** Constructor options of jiansuo's SearchEngine used by the eval; `--options` is spread over them. */
// Title boost left to the engine's default, so the eval measures what users get.
export const BASE_OPTIONS = { fields: { title: {}, text: {} } }

export function jiansuoAdapter(options: Record<string, unknown> = {}): EngineAdapter {
  type Hit = { id: string | number; score: number }
  type Result = { total: number; took: number; hits: Hit[] }
  type Engine = {
    addAll(docs: readonly Doc[]): unknown
    search(q: string, o: { limit: number; snippet: boolean }): Result | Promise<Result>
  }
  let SearchEngine: (new (o: unknown) => Engine) | undefined
  let engine: Engine | undefined
  return {
    name: 'jiansuo',
    async prepare() {
      // Imported lazily so peer-only runs work without the engine; a throwaway one-doc index loads
      // the jieba dictionary (process-wide, ~1–3 s) outside the timed build.
      SearchEngine = ((await import('../../src/index.js')) as { SearchEngine: new (o: unknown) => Engine }).SearchEngine
      const warm = new SearchEngine({ ...BASE_OPTIONS, ...options })
      await warm.addAll([{ id: '__warmup__', title: '预热', text: '加载分词词典。' }])
      await warm.search('分词', { limit: 1, snippet: false })
    },
    async build(docs) {
      engine = new SearchEngine!({ ...BASE_OPTIONS, ...options })
      await engine.addAll(docs)
    },
    search(query, limit) {
      const r = engine!.search(query, { limit, snippet: false })
      const ids = (x: Result) => x.hits.map((h) => String(h.id))
      return r instanceof Promise ? r.then(ids) : ids(r)
    },
  }
}

export interface EngineResult extends Summary {
  engine: string
  set: 'plain' | 'pooled'
  data: string
  documents: number
  buildSeconds: number
  /** Queries whose search call threw (counted as zero hits). */
  errors: { qid: string; message: string }[]
  perQuery: PerQuery[]
}

export interface EvaluateOptions {
  /** Hits asked for per query (100: Recall@100 needs them). */
  limit?: number
  /** Untimed searches before the timed pass, to warm JIT and caches (default 20). */
  warmup?: number
  log?: (msg: string) => void
}

/** Build the index once, run every query once (timed), and score the runs. */
export async function evaluate(adapter: EngineAdapter, pool: Pool, opts: EvaluateOptions = {}): Promise<EngineResult> {
  const limit = opts.limit ?? 100
  const warmup = opts.warmup ?? 20
  const log = opts.log ?? (() => {})
  await adapter.prepare?.()
  log(`[${adapter.name}] indexing ${pool.docs.length} docs…`)
  const t0 = process.hrtime.bigint()
  await adapter.build(pool.docs)
  const buildSeconds = Number(process.hrtime.bigint() - t0) / 1e9
  log(`[${adapter.name}] built in ${buildSeconds.toFixed(2)} s; ${pool.queries.length} queries…`)
  const errors: { qid: string; message: string }[] = []
  for (const q of pool.queries.slice(0, warmup)) {
    try {
      await adapter.search(q.text, limit)
    } catch {
      /* reported in the timed pass */
    }
  }
  const runs: QueryRun[] = []
  for (const q of pool.queries) {
    let ranked: readonly string[] = []
    const start = process.hrtime.bigint()
    try {
      const r = adapter.search(q.text, limit)
      ranked = r instanceof Promise ? await r : r
    } catch (e) {
      errors.push({ qid: q.id, message: (e as Error)?.message ?? String(e) })
    }
    const micros = Number(process.hrtime.bigint() - start) / 1e3
    runs.push({ qid: q.id, ranked, micros })
  }
  adapter.close?.()
  const s = summarize(runs, pool.qrels)
  log(`[${adapter.name}] done: nDCG@10 ${s.ndcg10.toFixed(3)}`)
  return { engine: adapter.name, set: pool.set, data: pool.data, documents: pool.docs.length, buildSeconds, errors, ...s }
}

/** One result per query id prefix (`--group-by-prefix`), named `<data>/<prefix>`, over its queries only. */
export function groupResults(r: EngineResult): [prefix: string, result: EngineResult][] {
  return [...groupByPrefix(r.perQuery)].map(([prefix, perQuery]) => {
    const ids = new Set(perQuery.map((q) => q.qid))
    const errors = r.errors.filter((e) => ids.has(e.qid))
    return [prefix, { ...r, ...summarizeScored(perQuery), data: `${r.data}/${prefix}`, perQuery, errors }]
  })
}

const f3 = (x: number) => x.toFixed(3)
const us = (x: number) => (Number.isFinite(x) ? Math.round(x).toString() : '–')

/** Markdown table: one row per engine result. */
export function resultTable(results: readonly EngineResult[]): string {
  const head = '| engine | set | data | documents | queries | build s | ndcg10 | mrr10 | recall10 | recall100 | zeroHit | p50us | p95us |'
  const sep = '|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|'
  const rows = results.map(
    (r) =>
      `| ${r.engine} | ${r.set} | ${r.data} | ${r.documents} | ${r.queries} | ${r.buildSeconds.toFixed(2)} | ${f3(r.ndcg10)} | ${f3(r.mrr10)} | ${f3(r.recall10)} | ${f3(r.recall100)} | ${f3(r.zeroHit)} | ${us(r.p50us)} | ${us(r.p95us)} |`,
  )
  return [head, sep, ...rows].join('\n')
}

/** The JSON shape of one result (no per-query detail). */
export function resultJson(r: EngineResult): Record<string, unknown> {
  const round = (x: number, d: number) => (Number.isFinite(x) ? Number(x.toFixed(d)) : null)
  return {
    set: r.set,
    data: r.data,
    engine: r.engine,
    documents: r.documents,
    queries: r.queries,
    buildSeconds: round(r.buildSeconds, 3),
    ndcg10: round(r.ndcg10, 6),
    mrr10: round(r.mrr10, 6),
    recall10: round(r.recall10, 6),
    recall100: round(r.recall100, 6),
    zeroHit: round(r.zeroHit, 6),
    p50us: round(r.p50us, 1),
    p95us: round(r.p95us, 1),
    errors: r.errors.length,
  }
}

/** Human-readable detail for misses: zero-hit queries and queries whose relevant doc is not in the top 100. */
export function missReport(r: EngineResult, pool: Pool, max: number): string {
  const text = new Map(pool.queries.map((q) => [q.id, q.text]))
  const zero = r.perQuery.filter((q) => q.hits === 0)
  const lost = r.perQuery.filter((q) => q.hits > 0 && q.firstRelevantRank === 0)
  const lines: string[] = []
  lines.push(`[${r.engine}] ${zero.length} zero-hit queries${zero.length ? ':' : ''}`)
  for (const q of zero.slice(0, max)) lines.push(`  ${q.qid}\t${text.get(q.qid)}`)
  lines.push(`[${r.engine}] ${lost.length} queries with hits but no relevant doc among them${lost.length ? ':' : ''}`)
  for (const q of lost.slice(0, max)) lines.push(`  ${q.qid}\t${q.hits} hits\t${text.get(q.qid)}`)
  const slow = [...r.perQuery].sort((a, b) => b.micros - a.micros).slice(0, Math.min(max, 5))
  lines.push(`[${r.engine}] slowest queries:`)
  for (const q of slow) lines.push(`  ${q.qid}\t${Math.round(q.micros)} µs\t${q.hits} hits\t${text.get(q.qid)}`)
  if (r.errors.length) {
    lines.push(`[${r.engine}] ${r.errors.length} queries threw:`)
    for (const e of r.errors.slice(0, max)) lines.push(`  ${e.qid}\t${text.get(e.qid)}\t${e.message}`)
  }
  return lines.join('\n')
}
