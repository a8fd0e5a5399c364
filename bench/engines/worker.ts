/**
 * Child-process entry: runs ONE engine in ONE phase, so every engine starts from a fresh V8 heap
 * and its RSS figures are its own.
 *
 *   node --import tsx --expose-gc bench/engines/worker.ts <engine> '<args json>'
 *
 * phase "build": read docs → init (dictionary, timed apart) → build (timed) → peak RSS → save.
 * phase "load":  init → RSS before → load (timed) → RSS after → warm-up pass → 5 timed passes
 *                 (each query's median over them).
 * The result goes to args.out as JSON (stdout is left to the engine's own chatter).
 */
import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { loadDocs, type DocSelection } from '../lib/corpus.js'
import { readQueries, type Query } from '../lib/queries.js'
import { percentile } from '../lib/stats.js'
import { createEngine } from './registry.js'
import { EngineUnavailable, type SearchEngineAdapter } from './types.js'

export interface WorkerArgs {
  phase: 'build' | 'load'
  docs: DocSelection
  /** JSONL file of queries (written by the parent). */
  queries?: string
  /** Where the index is saved (build) / loaded from (load). */
  indexPath?: string
  k: number
  /** Timed query passes; each query's latency is its median over them (default 5). */
  passes?: number
  /** Skip the snippet pass (scale.ts only needs plain latency). */
  noSnippets?: boolean
  out: string
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.()
const rss = (): number => process.memoryUsage().rss
/** JS heap + off-heap buffers: what the loaded index itself holds, without allocator slack. */
const heap = (): number => {
  const m = process.memoryUsage()
  return m.heapUsed + m.external + m.arrayBuffers
}
const peakRss = (): number => process.resourceUsage().maxRSS * 1024 // maxRSS is in KiB
const now = (): number => performance.now() / 1000
/** CPU seconds (user + system, all threads) since `from`: far less sensitive to a busy machine than wall time. */
const cpuSince = (from: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(from)
  return (d.user + d.system) / 1e6
}

/**
 * Collects garbage (twice, with a pause: V8 returns freed pages to the OS lazily) and then resets
 * the kernel's RSS high-water mark (Linux: write 5 to /proc/self/clear_refs), so the next
 * maxRSS reading is the peak of the phase that follows, not of reading the corpus. Returns false
 * where the reset is not possible; maxRSS is then the process lifetime peak.
 */
async function settleMemoryAndResetPeak(): Promise<boolean> {
  gc()
  await new Promise((r) => setTimeout(r, 200))
  gc()
  try {
    writeFileSync('/proc/self/clear_refs', '5')
    return true
  } catch {
    return false
  }
}

/** Awaits only real promises, so synchronous engines are timed without a microtask hop. */
async function settle<T>(v: T | Promise<T>): Promise<T> {
  return v instanceof Promise ? await v : v
}

/** Runs every query once; returns what came back, for the digest and hit counts. */
async function pass(engine: SearchEngineAdapter, queries: Query[], k: number): Promise<string[][]> {
  const out: string[][] = []
  for (const q of queries) out.push(await settle(engine.search(q.text, k)))
  return out
}

/** Same result lists in the build and the load process ⇒ the saved index round-trips. */
function resultStats(results: string[][]) {
  return {
    resultsDigest: createHash('sha1').update(JSON.stringify(results)).digest('hex').slice(0, 12),
    meanHits: results.reduce((s, r) => s + r.length, 0) / Math.max(1, results.length),
    zeroHitQueries: results.filter((r) => r.length === 0).length,
  }
}

async function timedPass(run: (q: string) => unknown, queries: Query[]): Promise<number[]> {
  const us: number[] = []
  for (const q of queries) {
    const t = process.hrtime.bigint()
    await settle(run(q.text))
    us.push(Number(process.hrtime.bigint() - t) / 1000)
  }
  return us
}

/**
 * Every query timed in `passes` passes; per query the median. One pass of 200 queries lasts tens
 * of milliseconds, so a burst of noise on this shared box would otherwise decide a percentile.
 */
async function timedPasses(run: (q: string) => unknown, queries: Query[], passes: number): Promise<number[]> {
  const runs: number[][] = []
  for (let p = 0; p < passes; p++) runs.push(await timedPass(run, queries))
  return queries.map((_, i) => {
    const times = runs.map((r) => r[i]!).sort((a, b) => a - b)
    return times[times.length >> 1]!
  })
}

async function main(): Promise<Record<string, unknown>> {
  const [name, json] = process.argv.slice(2)
  if (!name || !json) throw new Error('usage: worker.ts <engine> <args-json>')
  const args = JSON.parse(json) as WorkerArgs
  const queries = args.queries ? readQueries(args.queries) : []
  const engine = await createEngine(name)
  const base = { engine: name, kind: engine.kind, describe: engine.describe, phase: args.phase }

  if (args.phase === 'build') {
    const docs = loadDocs(args.docs)
    gc()
    const rssBeforeInit = rss()
    let t = now()
    await settle(engine.init())
    const dictSeconds = now() - t
    const peakRssLifetimeBeforeBuild = peakRss()
    const peakReset = await settleMemoryAndResetPeak()
    const rssBeforeBuild = rss()
    if (engine.kind === 'segment') {
      t = now()
      const c = process.cpuUsage()
      const tokens = await settle(engine.segmentAll(docs))
      const buildSeconds = now() - t
      const buildCpuSeconds = cpuSince(c)
      return { ...base, loadavg1: loadavg()[0], docs: docs.length, dictSeconds, buildSeconds, buildCpuSeconds, tokens, rssBeforeInit, rssBeforeBuild, peakRssBytes: peakRss(), peakReset, peakRssLifetimeBeforeBuild }
    }
    t = now()
    const c = process.cpuUsage()
    await settle(engine.build(docs))
    const buildSeconds = now() - t
    const buildCpuSeconds = cpuSince(c)
    const peakRssBytes = peakRss()
    t = now()
    const indexBytes = await settle(engine.save(args.indexPath!))
    const saveSeconds = now() - t
    const stats = resultStats(await pass(engine, queries, args.k))
    await settle(engine.close?.())
    return {
      ...base, loadavg1: loadavg()[0], storesDocs: engine.storesDocs, docs: docs.length, dictSeconds, buildSeconds, buildCpuSeconds, saveSeconds, indexBytes,
      rssBeforeInit, rssBeforeBuild, peakRssBytes, peakReset, peakRssLifetimeBeforeBuild, ...stats,
    }
  }

  if (engine.kind !== 'index') throw new Error(`${name} has no load phase`)
  let t = now()
  await settle(engine.init())
  const dictSeconds = now() - t
  const peakReset = await settleMemoryAndResetPeak()
  const rssBeforeLoad = rss()
  const heapBeforeLoad = heap()
  t = now()
  await settle(engine.load(args.indexPath!))
  const loadSeconds = now() - t
  // Peak while loading, above the pre-load RSS (parse buffers etc.); exact only if peakReset.
  const loadPeakRssBytes = Math.max(0, peakRss() - rssBeforeLoad)
  gc()
  await new Promise((r) => setTimeout(r, 200))
  gc()
  const rssAfterLoad = rss()
  const loadHeapBytes = heap() - heapBeforeLoad

  const k = args.k
  const warm = await pass(engine, queries, k) // warm-up: JIT, caches, lazily read pages
  const passes = args.passes ?? 5
  const c = process.cpuUsage()
  const lat = await timedPasses((q) => engine.search(q, k), queries, passes)
  const cpuMeanUs = (cpuSince(c) * 1e6) / Math.max(1, queries.length * passes)
  const snippet: Record<string, number> = {}
  if (engine.searchWithSnippets && !args.noSnippets) {
    const withSnippets = engine.searchWithSnippets.bind(engine)
    await timedPass((q) => withSnippets(q, k), queries) // warm-up
    const s = await timedPasses((q) => withSnippets(q, k), queries, passes)
    snippet.snippetP50Us = percentile(s, 50)
    snippet.snippetP95Us = percentile(s, 95)
  }
  const rssAfterQueries = rss()
  await settle(engine.close?.())
  return {
    ...base, loadavg1: loadavg()[0], dictSeconds, loadSeconds, peakReset, rssBeforeLoad, rssAfterLoad, loadRssBytes: rssAfterLoad - rssBeforeLoad, loadHeapBytes, loadPeakRssBytes,
    rssAfterQueries, queries: queries.length,
    p50Us: percentile(lat, 50), p95Us: percentile(lat, 95), p99Us: percentile(lat, 99),
    meanUs: lat.reduce((a, b) => a + b, 0) / Math.max(1, lat.length), cpuMeanUs, ...snippet, ...resultStats(warm),
  }
}

const out = JSON.parse(process.argv[3] ?? '{}').out as string | undefined
main().then(
  (result) => {
    if (out) writeFileSync(out, JSON.stringify({ ok: true, ...result }))
    process.exit(0)
  },
  (err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err))
    process.stderr.write(`[worker ${process.argv[2]}] ${e.stack ?? e.message}\n`)
    if (out) writeFileSync(out, JSON.stringify({ ok: false, unavailable: e instanceof EngineUnavailable, error: e.message }))
    process.exit(e instanceof EngineUnavailable ? 3 : 1)
  },
)
