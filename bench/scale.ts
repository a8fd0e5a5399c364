/**
 * How jiansuo scales with collection size: builds at 10k, 20k, 40k, 80k and 300k documents and
 * reports build time, index size, query p50 and peak RSS per size, as a markdown table, JSON and
 * a hand-written SVG chart.
 *
 *   npx tsx bench/scale.ts [--svg out.svg] [--json out.json] [--md out.md] [--sizes 10000,20000,…]
 *                          [--engines jiansuo[,sqlite-jieba…]] [--runs N] [--corpus <jsonl>…]
 *                          [--queries <jsonl>] [--timeout S] [--max-old-space MB]
 *
 * Documents: the union of /work/shared/corpus/*\/corpus.jsonl (≈78k news articles and headlines),
 * shuffled with seed 20240601 so every prefix samples all corpora; sizes beyond that add poems
 * from the npm package chinese-poetry, installed on demand into bench/.cache/ (git-ignored).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { docBytes, loadDocs, type DocSelection } from './lib/corpus.js'
import { ensurePoetry } from './lib/poetry.js'
import { generateQueries, readQueries } from './lib/queries.js'
import { DEFAULT_SEED } from './lib/random.js'
import { fmt, markdownTable, MB, medianRecord } from './lib/stats.js'
import { optNumber, optString, parseCli } from './lib/cli.js'
import { runWorker } from './lib/child.js'
import { lineChartGrid, type Panel } from './lib/svg.js'
import { ENGINE_NAMES } from './engines/registry.js'
import { srcFingerprint } from './lib/fingerprint.js'

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url))
const SHARED_CORPUS = resolve(PROJECT_ROOT, '../shared/corpus')
const log = (msg: string) => process.stderr.write(`${msg}\n`)

interface Row {
  engine: string
  size: number
  docs: number
  bytes: number
  ok: boolean
  error?: string
  buildSeconds?: number
  buildCpuSeconds?: number
  mbPerSecond?: number
  indexBytes?: number
  peakRssBytes?: number
  rssBeforeBuildBytes?: number
  loadSeconds?: number
  loadRssBytes?: number
  p50Us?: number
  p95Us?: number
  meanHits?: number
}

async function main() {
  const opts = parseCli(process.argv.slice(2), ['corpus'])
  const sizes = (optString(opts, 'sizes') ?? '10000,20000,40000,80000,300000').split(',').map(Number).filter((n) => n > 0).sort((a, b) => a - b)
  const engines = optString(opts, 'engines')?.split(',').map((s) => s.trim()).filter(Boolean) ?? ['jiansuo']
  const bad = engines.filter((e) => !(ENGINE_NAMES as string[]).includes(e) || e.startsWith('segment-'))
  if (bad.length) throw new Error(`not an index engine: ${bad.join(', ')}`)
  const runs = Math.max(1, optNumber(opts, 'runs', 1))
  const child = { timeoutSeconds: optNumber(opts, 'timeout', 3600), maxOldSpaceMb: optNumber(opts, 'max-old-space', 16384) }
  const stamp = new Date()
  const outBase = fileURLToPath(new URL(`./results/scale-${stamp.toISOString().replace(/[:.]/g, '-')}`, import.meta.url))
  const svgOut = resolve(optString(opts, 'svg') ?? `${outBase}.svg`)
  const jsonOut = resolve(optString(opts, 'json') ?? `${outBase}.json`)

  const corpora = opts.get('corpus')?.map((p) => resolve(p)) ??
    readdirSync(SHARED_CORPUS).map((d) => join(SHARED_CORPUS, d, 'corpus.jsonl')).filter((p) => existsSync(p)).sort()
  const files = loadDocs({ sources: corpora, shuffleSeed: DEFAULT_SEED })
  const sources = [...corpora]
  if (sizes[sizes.length - 1]! > files.length) sources.push(ensurePoetry())
  const all = sources.length > corpora.length ? loadDocs({ sources, shuffleSeed: DEFAULT_SEED }) : files
  log(`${files.length} corpus documents${sources.length > corpora.length ? ` + ${all.length - files.length} poems` : ''}`)

  // One query set for all sizes, drawn from the smallest prefix so every size contains its source.
  const queriesFile = optString(opts, 'queries')
  const queries = queriesFile ? readQueries(resolve(queriesFile)) : generateQueries(all.slice(0, sizes[0]), 200, DEFAULT_SEED)
  const work = mkdtempSync(join(tmpdir(), 'jiansuo-scale-'))
  const qPath = join(work, 'queries.jsonl')
  writeFileSync(qPath, queries.map((q) => JSON.stringify(q)).join('\n') + '\n')

  const srcBefore = srcFingerprint()
  const rows: Row[] = []
  try {
    for (const size of sizes) {
      // Children read the poems only when this size needs them (less to parse, cleaner memory).
      const selection: DocSelection = { sources: size > files.length ? sources : corpora, limit: size, shuffleSeed: DEFAULT_SEED }
      const docs = Math.min(size, all.length)
      const bytes = docBytes(all.slice(0, docs))
      for (const engine of engines) {
        const builds: Record<string, unknown>[] = []
        const loads: Record<string, unknown>[] = []
        let error: string | undefined
        for (let run = 1; run <= runs && !error; run++) {
          const indexPath = join(work, `${engine}-${size}.idx`)
          log(`${engine} @ ${docs} docs, run ${run}/${runs}: build`)
          const b = await runWorker(engine, { phase: 'build', docs: selection, indexPath, k: 10 }, child)
          if (!b.ok) { error = b.error; break }
          builds.push(b)
          log(`${engine} @ ${docs} docs, run ${run}/${runs}: load + query`)
          const l = await runWorker(engine, { phase: 'load', docs: selection, indexPath, queries: qPath, k: 10, noSnippets: true }, child)
          rmSync(indexPath, { recursive: true, force: true })
          if (!l.ok) { error = l.error; break }
          loads.push(l)
        }
        const b = medianRecord(builds), l = medianRecord(loads)
        rows.push({
          engine, size, docs, bytes, ok: !error, error,
          buildSeconds: b.buildSeconds, buildCpuSeconds: b.buildCpuSeconds, mbPerSecond: b.buildSeconds ? bytes / MB / b.buildSeconds : undefined,
          indexBytes: b.indexBytes, peakRssBytes: b.peakRssBytes, rssBeforeBuildBytes: b.rssBeforeBuild,
          loadSeconds: l.loadSeconds, loadRssBytes: l.loadRssBytes, p50Us: l.p50Us, p95Us: l.p95Us, meanHits: l.meanHits,
        })
        if (error) log(`  ${engine} failed at ${size}: ${error}`)
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }

  const header = ['engine', 'docs', 'MB text', 'build s', 'build CPU s', 'MB/s', 'index MB', 'RSS before build MB', 'peak RSS MB', 'load s', 'load RSS MB', 'p50 µs', 'p95 µs', 'hits/q']
  const table = markdownTable(header, rows.map((r) => r.ok
    ? [r.engine, r.docs.toLocaleString('en-US'), fmt(r.bytes / MB, 1), fmt(r.buildSeconds, 2), fmt(r.buildCpuSeconds, 2), fmt(r.mbPerSecond, 2), fmt(r.indexBytes! / MB, 1),
        fmt(r.rssBeforeBuildBytes! / MB, 0), fmt(r.peakRssBytes! / MB, 0), fmt(r.loadSeconds, 3), fmt(r.loadRssBytes! / MB, 0), fmt(r.p50Us, 0), fmt(r.p95Us, 0), fmt(r.meanHits, 1)]
    : [r.engine, r.docs.toLocaleString('en-US'), fmt(r.bytes / MB, 1), `**failed**: ${r.error}`, ...header.slice(4).map(() => '–')]))
  const poems = sources.length > corpora.length
  const srcAfter = srcFingerprint().srcHash
  const srcNote = `jiansuo src/ hash ${srcBefore.srcHash}${srcAfter !== srcBefore.srcHash ? ` → ${srcAfter} (src/ changed during the run!)` : ''}${srcBefore.commit ? `, commit ${srcBefore.commit.slice(0, 10)}` : ''}.`
  const markdown = [
    `## jiansuo scale test — ${stamp.toISOString().slice(0, 10)}`,
    '',
    `Documents: ${corpora.length} corpora (${files.length.toLocaleString('en-US')} docs) shuffled with seed ${DEFAULT_SEED}` +
      (poems ? `, then chinese-poetry Tang/Song poems (shuffled) beyond ${files.length.toLocaleString('en-US')}` : '') +
      `. ${queries.length} queries ${queriesFile ? `from ${queriesFile}` : `generated from the first ${sizes[0]!.toLocaleString('en-US')} docs`}; top 10, no snippets; median of ${runs} run(s). ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}. ${srcNote}`,
    '',
    table,
  ].join('\n')
  process.stdout.write(markdown + '\n')

  const series = (f: (r: Row) => number | undefined) => engines.map((e) => ({
    name: e, points: rows.filter((r) => r.engine === e && r.ok).map((r) => ({ x: r.docs, y: f(r) ?? NaN })),
  }))
  const panels: Panel[] = [
    { title: 'Build time', unit: 's', series: series((r) => r.buildSeconds) },
    { title: 'Index file size', unit: 'MB', series: series((r) => r.indexBytes! / MB) },
    { title: 'Query latency p50 (top 10)', unit: 'µs', series: series((r) => r.p50Us) },
    { title: 'Peak RSS while building', unit: 'MB', series: series((r) => r.peakRssBytes! / MB) },
  ]
  for (const [path, body] of [
    [svgOut, lineChartGrid(`jiansuo scale test (${stamp.toISOString().slice(0, 10)})`, 'documents', panels)],
    [jsonOut, JSON.stringify({ date: stamp.toISOString(), node: process.version, jiansuo: { ...srcBefore, srcHashAtEnd: srcAfter }, sizes, engines, runs, corpora, poetry: poems, rows, queryList: queries, markdown }, null, 2)],
  ] as const) {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, body)
  }
  const mdOut = optString(opts, 'md')
  if (mdOut) writeFileSync(resolve(mdOut), markdown + '\n')
  log(`wrote ${svgOut} and ${jsonOut}`)
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
  process.exit(1)
})
