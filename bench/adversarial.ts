/**
 * Adversarial cost: CPU milliseconds of the worst queries we can construct against the jiansuo
 * index of a corpus, and the cost of removing documents. The acceptance run of the hardening issue.
 *
 *   npm run bench:adversarial -- --corpus ../shared/corpus/xwlb-news/corpus.jsonl
 *        [--runs 5] [--case-budget 20] [--removes 1000] [--tiny-docs 100000] [--tiny-removes 30000]
 *        [--remove-budget 120] [--cases <text>] [--json <file>] [--md <file>] [--no-cache]
 *
 * One process, jiansuo from src/. The index is built once (title boost 2 + text, as in run.ts)
 * and cached under bench/.cache/ per corpus and src/ hash. Each query case runs `--runs` times,
 * each time with a fresh query (see bench/lib/adversarial-cases.ts; all made before the timing,
 * then the corpus leaves the heap), and is stopped early once its runs have used `--case-budget`
 * seconds. Timings are `process.cpuUsage()` deltas (user +
 * system, every thread), the calling thread's CPU (Linux) and wall time around one `engine.search()`.
 * See bench/README.md.
 */
import { createHash } from 'node:crypto'
import { cpus, loadavg } from 'node:os'
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SearchEngine, type Document, type SearchOptions } from '../src/index.js'
import { loadDocs, type Doc } from './lib/corpus.js'
import { DEFAULT_SEED, mulberry32, shuffle } from './lib/random.js'
import { fmt, markdownTable, median } from './lib/stats.js'
import { optNumber, optString, parseCli } from './lib/cli.js'
import { srcFingerprint } from './lib/fingerprint.js'
import { charDocFreq, commonTerms, queryCases, textWords, tinyDocs, unknownWords } from './lib/adversarial-cases.js'

const DEFAULT_CORPUS = '/work/shared/corpus/xwlb-news/corpus.jsonl'
const OPTIONS = { fields: { title: { boost: 2 }, text: {} } }
const QUERY_BOUND_MS = 50
const REMOVE_BOUND_MS = 1

const log = (msg: string) => process.stderr.write(`${msg}\n`)

/**
 * The calling thread's CPU nanoseconds from Linux's /proc/thread-self/schedstat (null elsewhere):
 * the time a query holds the event loop, without V8's compiler and GC threads, which run on other
 * cores and which `process.cpuUsage()` counts too.
 */
function threadCpuNs(): number | null {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0])
  } catch {
    return null
  }
}

/** CPU (user + system, every thread), the calling thread's CPU, and wall milliseconds of `fn`. */
function timed<T>(fn: () => T): { value: T; cpuMs: number; threadMs: number | null; wallMs: number } {
  const c0 = process.cpuUsage()
  const th0 = threadCpuNs()
  const t0 = performance.now()
  const value = fn()
  const wallMs = performance.now() - t0
  const th1 = threadCpuNs()
  const c = process.cpuUsage(c0)
  return { value, cpuMs: (c.user + c.system) / 1000, threadMs: th0 === null || th1 === null ? null : (th1 - th0) / 1e6, wallMs }
}

interface QueryRow {
  case: string
  afterAdd: boolean
  snippets: boolean
  queryChars: number
  runs: { cpuMs: number; threadMs: number | null; wallMs: number; total: number; addMs?: number }[]
  stoppedEarly: boolean
  medianCpuMs: number
  maxCpuMs: number
  /** The worst run's CPU of the calling thread (null where /proc/thread-self is missing). */
  maxThreadMs: number | null
  /** The first run's process CPU: in a fresh process the first query of its kind compiles code. */
  firstCpuMs: number
  medianWallMs: number
  medianHits: number
}

interface RemoveRow {
  case: string
  docs: number
  requested: number
  done: number
  budgetSeconds: number
  totalSeconds: number
  totalCpuSeconds: number
  medianMs: number
  meanMs: number
  maxMs: number
  medianCpuMs: number
  maxCpuMs: number
}

async function main() {
  const opts = parseCli(process.argv.slice(2), ['corpus'])
  const corpus = (opts.get('corpus') ?? [DEFAULT_CORPUS]).map((p) => resolve(p))
  const runs = Math.max(1, optNumber(opts, 'runs', 5))
  const caseBudget = optNumber(opts, 'case-budget', 20)
  const removes = optNumber(opts, 'removes', 1_000)
  const tinyCount = optNumber(opts, 'tiny-docs', 100_000)
  const tinyRemoves = optNumber(opts, 'tiny-removes', 30_000)
  const removeBudget = optNumber(opts, 'remove-budget', 120)
  const useCache = !opts.has('no-cache')
  const startedAt = new Date()
  const jsonOut = resolve(optString(opts, 'json') ?? fileURLToPath(new URL(`./results/adversarial-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url)))
  const src = srcFingerprint()
  const loads: number[] = [loadavg()[0]!]

  // Released before the queries are timed (see planQueries), loaded again for the removal phases.
  let docs: Doc[] | undefined = loadDocs({ sources: corpus })
  const docCount = docs.length
  log(`${docCount} documents from ${corpus.join(', ')}`)

  // ---- the index: built once per corpus and src/ version, then loaded from bench/.cache/
  const key = createHash('sha1')
    .update(JSON.stringify(corpus.map((p) => [p, statSync(p).size, statSync(p).mtimeMs])))
    .update(src.srcHash)
    .digest('hex')
    .slice(0, 12)
  const cachePath = fileURLToPath(new URL(`./.cache/adversarial-${key}.jiansuo`, import.meta.url))
  let engine: SearchEngine | undefined
  let buildSeconds: number | null = null
  if (useCache && existsSync(cachePath)) {
    try {
      engine = await SearchEngine.load(cachePath)
      log(`loaded the index from ${cachePath}`)
    } catch (err) {
      log(`cache ${cachePath} not usable (${(err as Error).message}); rebuilding`)
    }
  }
  if (!engine) {
    log('building the index (addAll, one thread)…')
    engine = new SearchEngine(OPTIONS)
    const t0 = performance.now()
    engine.addAll(docs as unknown as Document[])
    buildSeconds = (performance.now() - t0) / 1000
    log(`built in ${buildSeconds.toFixed(1)} s`)
    mkdirSync(dirname(cachePath), { recursive: true })
    await engine.save(cachePath)
  }
  const only = optString(opts, 'cases')
  const plan = planQueries(engine, docs, runs, only)
  docs = undefined
  const rows = timeQueries(engine, plan, runs, caseBudget, loads)
  const { common, pool, inText, cases } = plan
  engine = undefined
  docs = loadDocs({ sources: corpus })

  // ---- removal from the full index: a fresh copy from the cache file
  const removeRows: RemoveRow[] = []
  {
    const fresh = await SearchEngine.load(cachePath)
    fresh.search('预热', { limit: 1, snippet: false })
    const ids = shuffle(fresh.ids(), mulberry32(DEFAULT_SEED + 5)).slice(0, removes)
    removeRows.push(removeAll(fresh, `remove ${removes.toLocaleString('en-US')} of ${fresh.size.toLocaleString('en-US')} articles`, ids, removeBudget))
    log(`${removeRows.at(-1)!.case}: ${removeRows.at(-1)!.totalSeconds.toFixed(2)} s`)
    loads.push(loadavg()[0]!)
  }
  // ---- removal from many tiny documents
  {
    const tiny = tinyDocs(docs, tinyCount, DEFAULT_SEED + 6)
    const small = new SearchEngine(OPTIONS)
    const t0 = performance.now()
    small.addAll(tiny as unknown as Document[])
    log(`${tiny.length} tiny documents indexed in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    const ids = shuffle(tiny.map((d) => d.id), mulberry32(DEFAULT_SEED + 7)).slice(0, tinyRemoves)
    removeRows.push(removeAll(small, `remove ${tinyRemoves.toLocaleString('en-US')} of ${tiny.length.toLocaleString('en-US')} tiny documents (10–20 chars)`, ids, removeBudget))
    log(`${removeRows.at(-1)!.case}: ${removeRows.at(-1)!.done} done in ${removeRows.at(-1)!.totalSeconds.toFixed(1)} s`)
    loads.push(loadavg()[0]!)
  }

  const meta = {
    date: startedAt.toISOString(),
    node: process.version,
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
    corpus,
    docs: docCount,
    jiansuo: { ...src, srcHashAtEnd: srcFingerprint().srcHash },
    index: { cache: cachePath, buildSeconds },
    runs,
    caseBudgetSeconds: caseBudget,
    commonTerms: common,
    unknownWords: { band: pool.band, pool: pool.words.length, sample: pool.words.slice(0, 20), inText: inText.length, inTextSample: inText.slice(0, 20) },
    loadavg: { min: Math.min(...loads), max: Math.max(...loads) },
    elapsedSeconds: (Date.now() - startedAt.getTime()) / 1000,
  }
  const markdown = renderMarkdown(meta, rows, removeRows)
  process.stdout.write(markdown + '\n')
  mkdirSync(dirname(jsonOut), { recursive: true })
  writeFileSync(jsonOut, JSON.stringify({ ...meta, cases: cases.map((c) => ({ name: c.name, how: c.how })), queries: rows, removal: removeRows, markdown }, null, 2))
  const mdOut = optString(opts, 'md')
  if (mdOut) writeFileSync(resolve(mdOut), markdown + '\n')
  log(`wrote ${jsonOut} (${meta.elapsedSeconds.toFixed(0)} s in all)`)
}

const VARIANTS = [
  { afterAdd: false, snippets: false },
  { afterAdd: false, snippets: true },
  { afterAdd: true, snippets: false },
  { afterAdd: true, snippets: true },
]

/**
 * Every query to time, made ahead (per case, variant and run), and the documents the "after add()"
 * runs add. Made before the timing so that the corpus can leave the heap first: V8's concurrent
 * marking scans the whole heap, and 19.5k articles held by the bench (not by the engine) made the
 * GC threads' CPU, which `process.cpuUsage()` counts, part of every query's figure.
 */
function planQueries(e: SearchEngine, docs: readonly Doc[], runs: number, only?: string) {
  // As a service does after load (load(p, { warm: true })): the segmenter dictionary, the
  // per-index-state structures and the compiled code of each query form, before any timing.
  e.warm()
  e.search('预热 检索', { limit: 10 })

  const common = commonTerms(e, docs, 50, DEFAULT_SEED + 2)
  const pool = unknownWords(e, charDocFreq(docs), 12_000, DEFAULT_SEED + 3)
  log(`${common.length} common terms (df ${common.at(-1)?.df}–${common[0]?.df}); ${pool.words.length} unknown words from ${pool.band.chars} characters in ${pool.band.min}–${pool.band.max} documents`)
  const warmWord = pool.words.pop()!
  const inText = textWords(e, docs, 6_000, DEFAULT_SEED + 8)
  log(`${inText.length} unknown words from the text`)
  const cases = queryCases({ engine: e, docs, unknown: pool.words, inText, common: common.map((c) => c.term), seed: DEFAULT_SEED + 4 })
    // --cases: only the cases whose name contains the text (a quick rerun of one row).
    .filter((c) => only === undefined || c.name.includes(only))
  const queries = cases.map((c) => VARIANTS.map(() => Array.from({ length: runs }, (_, rep) => c.make(rep))))
  const adds = docs.slice(0, cases.length * VARIANTS.length * runs).map((d, i) => ({ id: `adversarial-add-${i}`, title: d.title, text: d.text }))
  return { common, pool, inText, cases, queries, adds, warmWord }
}

/** Every query case, steady state and right after an add(), without and with snippets. */
function timeQueries(e: SearchEngine, plan: ReturnType<typeof planQueries>, runs: number, caseBudget: number, loads: number[]): QueryRow[] {
  ;(globalThis as { gc?: () => void }).gc?.()
  let added = 0
  const addDoc = (): number => {
    const doc = plan.adds[added++ % plan.adds.length]!
    const t0 = performance.now()
    e.add(added > plan.adds.length ? { ...doc, id: `${doc.id}-${added}` } : doc)
    return performance.now() - t0
  }
  const rows: QueryRow[] = []
  plan.cases.forEach((c, i) => {
    VARIANTS.forEach((v, j) => {
      rows.push(runCase(e, c.name, plan.queries[i]![j]!, v, runs, caseBudget, addDoc, plan.warmWord))
      const r = rows.at(-1)!
      log(`${r.case}${r.afterAdd ? ' · after add' : ''}${r.snippets ? ' · snippets' : ''}: median ${r.medianCpuMs.toFixed(1)} ms CPU, max ${r.maxCpuMs.toFixed(1)} ms (${r.runs.length} run(s)${r.stoppedEarly ? ', stopped at the case budget' : ''})`)
      loads.push(loadavg()[0]!)
    })
  })
  return rows
}

function runCase(
  engine: SearchEngine,
  name: string,
  queries: readonly string[],
  v: { afterAdd: boolean; snippets: boolean },
  runs: number,
  budgetSeconds: number,
  addDoc: () => number,
  warmWord: string,
): QueryRow {
  const options: SearchOptions = v.snippets ? { limit: 10 } : { limit: 10, snippet: false }
  const out: QueryRow['runs'] = []
  let spent = 0
  let queryChars = 0
  let stoppedEarly = false
  for (let rep = 0; rep < runs; rep++) {
    if (spent > budgetSeconds * 1000) {
      stoppedEarly = true
      break
    }
    const query = queries[rep]!
    queryChars = query.length
    let addMs: number | undefined
    // Steady state: whatever an earlier add() invalidated is rebuilt by an untimed search first.
    if (v.afterAdd) addMs = addDoc()
    else engine.search(warmWord, { limit: 1, snippet: false })
    const t = timed(() => {
      const result = engine.search(query, options)
      // Hits without snippets read their document lazily; a caller shows at least the ids.
      for (const h of result.hits) void h.id
      return result.total
    })
    spent += Math.max(t.cpuMs, t.wallMs)
    out.push({ cpuMs: t.cpuMs, threadMs: t.threadMs, wallMs: t.wallMs, total: t.value, ...(addMs !== undefined ? { addMs } : {}) })
  }
  return {
    case: name,
    ...v,
    queryChars,
    runs: out,
    stoppedEarly,
    medianCpuMs: median(out.map((r) => r.cpuMs)),
    maxCpuMs: Math.max(...out.map((r) => r.cpuMs)),
    maxThreadMs: out.some((r) => r.threadMs === null) ? null : Math.max(...out.map((r) => r.threadMs!)),
    firstCpuMs: out[0]!.cpuMs,
    medianWallMs: median(out.map((r) => r.wallMs)),
    medianHits: median(out.map((r) => r.total)),
  }
}

function removeAll(engine: SearchEngine, name: string, ids: string[], budgetSeconds: number): RemoveRow {
  const wall: number[] = []
  const cpu: number[] = []
  const docs = engine.size
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  for (const id of ids) {
    if (performance.now() - t0 > budgetSeconds * 1000) break
    const t = timed(() => engine.remove(id))
    if (!t.value) throw new Error(`remove(${id}) found no document`)
    wall.push(t.wallMs)
    cpu.push(t.cpuMs)
  }
  const totalSeconds = (performance.now() - t0) / 1000
  const c = process.cpuUsage(c0)
  return {
    case: name,
    docs,
    requested: ids.length,
    done: wall.length,
    budgetSeconds,
    totalSeconds,
    totalCpuSeconds: (c.user + c.system) / 1e6,
    medianMs: median(wall),
    meanMs: (totalSeconds * 1000) / Math.max(1, wall.length),
    maxMs: Math.max(...wall),
    medianCpuMs: median(cpu),
    maxCpuMs: Math.max(...cpu),
  }
}

interface Meta {
  date: string
  node: string
  cpu: string
  corpus: string[]
  docs: number
  jiansuo: { commit: string | null; srcHash: string; srcHashAtEnd: string }
  runs: number
  caseBudgetSeconds: number
  commonTerms: { term: string; df: number }[]
  unknownWords: { band: { min: number; max: number; chars: number }; pool: number; inText: number }
  loadavg: { min: number; max: number }
  elapsedSeconds: number
}

function renderMarkdown(meta: Meta, rows: QueryRow[], removeRows: RemoveRow[]): string {
  const header = ['case', 'after add()', 'snippets', 'query chars', 'runs', 'median CPU ms', 'max CPU ms', 'max thread CPU ms', 'median wall ms', 'hits']
  const table = rows.map((r) => [
    r.case,
    r.afterAdd ? 'yes' : '–',
    r.snippets ? 'default' : 'off',
    r.queryChars.toLocaleString('en-US'),
    `${r.runs.length}${r.stoppedEarly ? '*' : ''}`,
    fmt(r.medianCpuMs, 1),
    fmt(r.maxCpuMs, 1),
    r.maxThreadMs === null ? '–' : fmt(r.maxThreadMs, 1),
    fmt(r.medianWallMs, 1),
    r.medianHits.toLocaleString('en-US'),
  ])
  const removeHeader = ['removal', 'done', 'total s', 'total CPU s', 'median ms', 'mean ms', 'max ms', 'median CPU ms', 'max CPU ms']
  const removeTable = removeRows.map((r) => [
    r.case,
    `${r.done.toLocaleString('en-US')}${r.done < r.requested ? ` (stopped at ${r.budgetSeconds} s)` : ''}`,
    fmt(r.totalSeconds, 2),
    fmt(r.totalCpuSeconds, 2),
    fmt(r.medianMs, 3),
    fmt(r.meanMs, 3),
    fmt(r.maxMs, 2),
    fmt(r.medianCpuMs, 3),
    fmt(r.maxCpuMs, 2),
  ])
  const bounded = rows.filter((r) => r.queryChars <= 1_000)
  const worst = bounded.reduce((a, b) => (b.maxCpuMs > a.maxCpuMs ? b : a), bounded[0]!)
  const over = bounded.filter((r) => r.maxCpuMs > QUERY_BOUND_MS).length
  const overLater = bounded.filter((r) => Math.max(...r.runs.slice(1).map((x) => x.cpuMs)) > QUERY_BOUND_MS).length
  const threadRows = bounded.filter((r) => r.maxThreadMs !== null)
  const worstThread = threadRows.reduce((a, b) => (b.maxThreadMs! > a.maxThreadMs! ? b : a), threadRows[0]!)
  const overThread = threadRows.filter((r) => r.maxThreadMs! > QUERY_BOUND_MS).length
  const full = removeRows[0]
  const verdict = (ok: boolean) => (ok ? 'met' : '**not met**')
  const tiny = removeRows[1]
  const lines = [
    `## jiansuo adversarial cost — ${meta.date.slice(0, 10)}`,
    '',
    `${meta.docs.toLocaleString('en-US')} documents (${meta.corpus.join(', ')}), fields title (boost 2) + text, top 10. ` +
      `Up to ${meta.runs} runs per case, each with a fresh query; a case stops repeating once its runs used ${meta.caseBudgetSeconds} s (marked *). ` +
      `CPU = process.cpuUsage() user + system around one search() (every thread); thread CPU = the calling thread's, from /proc/thread-self/schedstat. ${meta.node}, ${meta.cpu}; 1-min load average ${meta.loadavg.min.toFixed(1)}–${meta.loadavg.max.toFixed(1)}. ` +
      `jiansuo: ${meta.jiansuo.commit ? `commit ${meta.jiansuo.commit.slice(0, 10)}, ` : ''}src/ hash ${meta.jiansuo.srcHash}` +
      (meta.jiansuo.srcHashAtEnd !== meta.jiansuo.srcHash ? ` → ${meta.jiansuo.srcHashAtEnd} (changed during the run!)` : '') +
      `. ${meta.unknownWords.pool.toLocaleString('en-US')} unknown words from ${meta.unknownWords.band.chars} characters found in ${meta.unknownWords.band.min}–${meta.unknownWords.band.max} documents each, ${meta.unknownWords.inText.toLocaleString('en-US')} from the text; ` +
      `common terms: df ${meta.commonTerms.at(-1)?.df.toLocaleString('en-US')}–${meta.commonTerms[0]?.df.toLocaleString('en-US')}. Whole run ${Math.round(meta.elapsedSeconds)} s.`,
    '',
    markdownTable(header, table),
    '',
    markdownTable(removeHeader, removeTable),
    '',
    '| bound (hardening issue) | measured | |',
    '|---|---|---|',
    `| ≤ ${QUERY_BOUND_MS} ms CPU for any query of ≤ 1,000 characters on 20k articles | worst: ${fmt(worst?.maxCpuMs, 1)} ms (${worst?.case}${worst?.afterAdd ? ', after add()' : ''}${worst?.snippets ? ', snippets' : ''}); ${over} of ${bounded.length} rows over | ${verdict(over === 0)} |`,
    `| … every run after a case's first (the first compiles the case's code paths) | ${overLater} of ${bounded.length} rows over | ${verdict(overLater === 0)} |`,
    worstThread
      ? `| … CPU of the calling thread (the event loop's time; V8's compiler and GC threads excluded) | worst: ${fmt(worstThread.maxThreadMs!, 1)} ms (${worstThread.case}); ${overThread} of ${threadRows.length} rows over | ${verdict(overThread === 0)} |`
      : '',
    full
      ? `| removal ≤ ${REMOVE_BOUND_MS} ms per document on 20k articles (mean) | ${fmt(full.meanMs, 3)} ms (median ${fmt(full.medianMs, 3)} ms) | ${verdict(full.meanMs <= REMOVE_BOUND_MS)} |`
      : '',
    full ? `| … every removal (max) | ${fmt(full.maxMs, 2)} ms | ${verdict(full.maxMs <= REMOVE_BOUND_MS)} |` : '',
    tiny
      ? `| (no bound) ${tiny.case} | ${tiny.done < tiny.requested ? `${tiny.done.toLocaleString('en-US')} done in ${fmt(tiny.totalSeconds, 1)} s (budget ${tiny.budgetSeconds} s)` : `${fmt(tiny.totalSeconds, 1)} s`} | |`
      : '',
  ].filter((l, i, all) => l !== '' || all[i - 1] !== '')
  return lines.join('\n')
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`)
  process.exit(1)
})
