/**
 * Benchmarks jiansuo against peer engines on the same documents and queries.
 *
 *   npm run bench -- --corpus <jsonl>… [--queries <jsonl>] [--json <out.json>] [--md <out.md>]
 *                    [--runs N] [--engines a,b,c] [--limit-docs N] [--k 10]
 *                    [--timeout SECONDS] [--max-old-space MB] [--no-structured]
 *
 * Every engine runs in its own child processes (bench/engines/worker.ts): one to build + save,
 * a fresh one to load + query, per run. Timings are medians over --runs. See bench/README.md.
 */
import { spawnSync } from 'node:child_process'
import { cpus, tmpdir, totalmem } from 'node:os'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { docBytes, loadDocs, type DocSelection } from './lib/corpus.js'
import { generateQueries, readQueries, type Query } from './lib/queries.js'
import { DEFAULT_SEED } from './lib/random.js'
import { fmt, markdownTable, MB, median, medianRecord } from './lib/stats.js'
import { optNumber, optString, parseCli } from './lib/cli.js'
import { runWorker, type ChildResult } from './lib/child.js'
import { ENGINE_NAMES } from './engines/registry.js'
import { srcFingerprint } from './lib/fingerprint.js'

const DEFAULT_CORPUS = '/work/shared/corpus/xwlb-news/corpus.jsonl'
const INDEX_EXT: Record<string, string> = {
  jiansuo: '.jiansuo', 'jiansuo-parallel': '.jiansuo', 'jiansuo-parallel-warm': '.jiansuo', 'flexsearch-jieba': '.json', 'minisearch-jieba': '.json', 'orama-mandarin': '.json', 'sqlite-jieba': '.sqlite',
}

const log = (msg: string) => process.stderr.write(`${msg}\n`)

interface EngineReport {
  engine: string
  kind?: string
  describe?: string
  storesDocs?: boolean
  status: 'ok' | 'failed' | 'unavailable'
  error?: string
  builds: Record<string, unknown>[]
  loads: Record<string, unknown>[]
  /** Medians over runs of every numeric field of the build and load phases. */
  median: Record<string, number>
  warnings: string[]
}

async function main() {
  const opts = parseCli(process.argv.slice(2), ['corpus'])
  const corpus = (opts.get('corpus') ?? [DEFAULT_CORPUS]).map((p) => resolve(p))
  const runs = Math.max(1, optNumber(opts, 'runs', 3))
  const k = optNumber(opts, 'k', 10)
  const engines = optString(opts, 'engines')?.split(',').map((s) => s.trim()).filter(Boolean) ?? ENGINE_NAMES
  const unknown = engines.filter((e) => !(ENGINE_NAMES as string[]).includes(e))
  if (unknown.length) throw new Error(`unknown engine(s): ${unknown.join(', ')} (known: ${ENGINE_NAMES.join(', ')})`)
  const selection: DocSelection = { sources: corpus, limit: optNumber(opts, 'limit-docs', 0) }
  const child = { timeoutSeconds: optNumber(opts, 'timeout', 1800), maxOldSpaceMb: optNumber(opts, 'max-old-space', 12288) }
  const startedAt = new Date()
  const jsonOut = resolve(
    optString(opts, 'json') ?? fileURLToPath(new URL(`./results/run-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url)),
  )

  // The parent reads the documents only to count bytes and draw queries; children re-read them.
  const docs = loadDocs(selection)
  const bytes = docBytes(docs)
  const queriesFile = optString(opts, 'queries')
  const queries: Query[] = queriesFile ? readQueries(resolve(queriesFile)) : generateQueries(docs, 200, DEFAULT_SEED)
  log(`${docs.length} docs, ${(bytes / MB).toFixed(1)} MB of title+text, ${queries.length} queries${queriesFile ? '' : ` (generated, seed ${DEFAULT_SEED})`}, ${runs} run(s)`)

  const srcBefore = srcFingerprint()
  const work = mkdtempSync(join(tmpdir(), 'jiansuo-bench-'))
  const qPath = join(work, 'queries.jsonl')
  writeFileSync(qPath, queries.map((q) => JSON.stringify(q)).join('\n') + '\n')

  const reports = new Map<string, EngineReport>(engines.map((e) => [e, { engine: e, status: 'ok', builds: [], loads: [], median: {}, warnings: [] }]))
  const fail = (r: EngineReport, res: ChildResult & { ok: false }) => {
    r.status = res.unavailable ? 'unavailable' : 'failed'
    r.error = res.error
    log(`  ${r.engine}: ${r.status}: ${res.error}`)
  }
  try {
    // Runs are interleaved (run 1 of every engine, then run 2 …) so slow drifts in machine noise
    // hit all engines alike.
    for (let run = 1; run <= runs; run++) {
      for (const name of engines) {
        const r = reports.get(name)!
        if (r.status !== 'ok') continue
        const indexPath = join(work, `${name}${INDEX_EXT[name] ?? '.idx'}`)
        if (name.startsWith('jiansuo')) {
          // Record which src/ each jiansuo run measured (src/ may be edited while we run).
          const fp = srcFingerprint().srcHash
          if (fp !== srcBefore.srcHash && !r.warnings.some((w) => w.includes(fp))) r.warnings.push(`run ${run}: src/ changed since the start (${srcBefore.srcHash} → ${fp}); medians mix versions`)
        }
        log(`run ${run}/${runs} ${name}: build`)
        const b = await runWorker(name, { phase: 'build', docs: selection, queries: qPath, indexPath, k }, child)
        if (!b.ok) { fail(r, b); continue }
        r.kind = String(b.kind)
        r.describe = String(b.describe)
        if (typeof b.storesDocs === 'boolean') r.storesDocs = b.storesDocs
        r.builds.push(b)
        if (b.kind !== 'index') continue
        log(`run ${run}/${runs} ${name}: load + query`)
        const l = await runWorker(name, { phase: 'load', docs: selection, queries: qPath, indexPath, k }, child)
        rmSync(indexPath, { recursive: true, force: true })
        if (!l.ok) { fail(r, l); continue }
        r.loads.push(l)
        if (l.resultsDigest !== b.resultsDigest) {
          r.warnings.push(`run ${run}: results after load differ from results before save (${b.resultsDigest} vs ${l.resultsDigest})`)
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }

  const loads = [...reports.values()].flatMap((r) => [...r.builds, ...r.loads].map((x) => x.loadavg1 as number)).filter(Number.isFinite)
  if (!loads.length) loads.push(NaN)
  for (const r of reports.values()) {
    r.median = { ...medianRecord(r.builds), ...prefixed(medianRecord(r.loads), 'load.') }
    if (r.builds.length) r.median.mbPerSecond = bytes / MB / median(r.builds.map((b) => b.buildSeconds as number))
    const digests = new Set(r.builds.map((b) => b.resultsDigest).filter(Boolean))
    if (digests.size > 1) r.warnings.push(`results differ between runs (${[...digests].join(', ')}): nondeterministic build?`)
  }

  const meta = {
    date: startedAt.toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
    memoryGB: +(totalmem() / 1e9).toFixed(1),
    corpus,
    limitDocs: selection.limit || null,
    docs: docs.length,
    bytes,
    runs,
    k,
    jiansuo: { ...srcBefore, srcHashAtEnd: srcFingerprint().srcHash },
    queries: { source: queriesFile ? resolve(queriesFile) : `generated (mulberry32 seed ${DEFAULT_SEED})`, count: queries.length },
    // A busy machine inflates wall times; the CPU-second columns and this range help judge that.
    loadavg: { min: Math.min(...loads), max: Math.max(...loads) },
  }
  let markdown = renderMarkdown(meta, [...reports.values()])
  // The structured-search rows (filters, sort, facets vs plain), when jiansuo ran on one corpus
  // whose documents carry dates: bench/structured.ts in its own process, its table appended.
  if (engines.includes('jiansuo') && corpus.length === 1 && !opts.has('no-structured')) {
    const structured = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./structured.ts', import.meta.url)), '--corpus', corpus[0]!], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
    if (structured.status === 0) markdown += `\n\n${structured.stdout.trim()}`
    else log(`bench/structured.ts failed (exit ${structured.status}); its rows are missing`)
  }
  process.stdout.write(markdown + '\n')
  mkdirSync(dirname(jsonOut), { recursive: true })
  writeFileSync(jsonOut, JSON.stringify({ ...meta, engines: [...reports.values()], queryList: queries, markdown }, null, 2))
  const mdOut = optString(opts, 'md')
  if (mdOut) writeFileSync(resolve(mdOut), markdown + '\n')
  log(`wrote ${jsonOut}`)
}

function prefixed(rec: Record<string, number>, prefix: string): Record<string, number> {
  return Object.fromEntries(Object.entries(rec).map(([key, v]) => [prefix + key, v]))
}

interface Meta {
  date: string
  node: string
  cpu: string
  jiansuo: { commit: string | null; srcHash: string; srcHashAtEnd: string }
  docs: number
  bytes: number
  runs: number
  k: number
  corpus: string[]
  queries: { source: string; count: number }
  loadavg: { min: number; max: number }
}

function renderMarkdown(meta: Meta, reports: EngineReport[]): string {
  const seg = (name: string) => reports.find((r) => r.engine === name && r.status === 'ok')?.median.mbPerSecond
  const rawNj = seg('segment-nodejieba')
  const header = ['engine', 'dict load s', 'build s', 'build CPU s', 'MB/s', '÷ raw seg', 'peak RSS MB', 'index MB', 'load s', 'load RSS MB', 'p50 µs', 'p95 µs', 'p99 µs', 'CPU µs/q', 'p50 +2 snippets µs', 'hits/q']
  const rows = reports.map((r) => {
    const m = r.median
    if (r.status !== 'ok' || !r.builds.length) return [r.engine, r.status === 'unavailable' ? 'not installed' : `**failed**`, ...header.slice(2).map(() => '–')]
    const index = r.kind === 'index'
    return [
      r.engine + (r.storesDocs ? ' ¹' : ''),
      fmt(m.dictSeconds, 2),
      fmt(m.buildSeconds, 2),
      fmt(m.buildCpuSeconds, 2),
      fmt(m.mbPerSecond, 2),
      rawNj && r.engine !== 'segment-nodejieba' ? fmt(m.mbPerSecond! / rawNj, 2) : '–',
      fmt(m.peakRssBytes! / MB, 0),
      index ? fmt(m.indexBytes! / MB, 1) : '–',
      index ? fmt(m['load.loadSeconds'], 3) : '–',
      index ? fmt(m['load.loadRssBytes']! / MB, 0) : '–',
      index ? fmt(m['load.p50Us'], 0) : '–',
      index ? fmt(m['load.p95Us'], 0) : '–',
      index ? fmt(m['load.p99Us'], 0) : '–',
      index ? fmt(m['load.cpuMeanUs'], 0) : '–',
      m['load.snippetP50Us'] !== undefined ? fmt(m['load.snippetP50Us'], 0) : '–',
      index ? fmt(m['load.meanHits'], 1) : '–',
    ]
  })
  const lines = [
    `## jiansuo benchmark — ${meta.date.slice(0, 10)}`,
    '',
    `${meta.docs.toLocaleString('en-US')} documents, ${(meta.bytes / MB).toFixed(1)} MB title+text (${meta.corpus.join(', ')}); ` +
      `${meta.queries.count} queries, ${meta.queries.source}; top ${meta.k}; median of ${meta.runs} run(s). ${meta.node}, ${meta.cpu}; ` +
      `1-min load average during the children ${meta.loadavg.min.toFixed(1)}–${meta.loadavg.max.toFixed(1)}. ` +
      `jiansuo: ${meta.jiansuo.commit ? `commit ${meta.jiansuo.commit.slice(0, 10)}, ` : ''}src/ hash ${meta.jiansuo.srcHash}` +
      (meta.jiansuo.srcHashAtEnd !== meta.jiansuo.srcHash ? ` → ${meta.jiansuo.srcHashAtEnd} (changed during the run!)` : '') + '.',
    '',
    markdownTable(header, rows),
    '',
    '¹ the index also stores the documents (needed for hits with text/snippets), so its size includes the text.',
  ]
  const jiansuo = reports.find((r) => r.engine === 'jiansuo' && r.status === 'ok')?.median.mbPerSecond
  const rawRs = seg('segment-node-rs-jieba')
  if (jiansuo && (rawNj || rawRs)) {
    const parts = [rawNj && `${(jiansuo / rawNj).toFixed(2)} of nodejieba (${rawNj.toFixed(2)} MB/s)`, rawRs && `${(jiansuo / rawRs).toFixed(2)} of @node-rs/jieba (${rawRs.toFixed(2)} MB/s)`]
    lines.push('', `jiansuo build MB/s ÷ raw segmentation MB/s: ${parts.filter(Boolean).join('; ')}.`)
  }
  lines.push('', 'Engines:')
  for (const r of reports) lines.push(`- \`${r.engine}\`: ${r.describe ?? ''}${r.error ? ` — ${r.status}: ${r.error}` : ''}`)
  const warnings = reports.flatMap((r) => r.warnings.map((w) => `- ${r.engine}: ${w}`))
  if (warnings.length) lines.push('', 'Warnings:', ...warnings)
  return lines.join('\n')
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
  process.exit(1)
})
