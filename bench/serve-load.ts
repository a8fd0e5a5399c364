/**
 * Load test of `jiansuo serve`: latency and throughput of `GET /search` over loopback, at 1, 20
 * and 100 concurrent keep-alive connections, idle and while `POST /docs` adds a batch of 1,000
 * articles; and how long the first search after a warm start takes.
 *
 *   npm run bench:serve -- [--corpus ../shared/corpus/xwlb-news/corpus.jsonl] [--seconds 10]
 *        [--connections 1,20,100] [--batch 1000] [--queries 20000] [--md <file>] [--json <file>]
 *
 * The server is the built CLI (`node dist/cli.js serve`, so `npm run build` first; the npm script
 * does) in its own process, over an index of the corpus minus its last `--batch` articles (built
 * once per corpus and src/ version, cached under bench/.cache/). The client is this process: each
 * connection sends one request, waits for the whole response, sends the next (a closed loop, as
 * autocannon does), over `--queries` distinct generated queries (bench/lib/queries.ts: words of
 * random articles, a third of them two words; 20,000 by default), in two orders (see `picker`):
 * each in turn (no repeats: the worst case for the server's cache of stored texts) and drawn
 * Zipf-distributed, as a search box is asked. Latency is from writing the request to the last byte of the
 * response, per request; percentiles are exact (every latency kept). Each "while adding" row
 * starts a fresh server from the same file, sends the batch as one JSON Lines POST and counts
 * the searches that started before the save that follows it was on disk (the write path whole).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SearchEngine } from '../src/index.js'
import { loadDocs, type Doc } from './lib/corpus.js'
import { generateQueries } from './lib/queries.js'
import { DEFAULT_SEED, mulberry32 } from './lib/random.js'
import { fmt, markdownTable } from './lib/stats.js'
import { optNumber, optString, parseCli } from './lib/cli.js'
import { srcFingerprint } from './lib/fingerprint.js'

const DEFAULT_CORPUS = '/work/shared/corpus/xwlb-news/corpus.jsonl'
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const TOKEN = 'bench-token'
const OPTIONS = { fields: { title: { boost: 2 }, body: {} } }
/** The issue's targets at 20 connections. */
const TARGET = { idleP95: 10, addingP95: 25, firstQuery: 50 }

const log = (msg: string) => process.stderr.write(`${msg}\n`)

type Mix = 'distinct' | 'zipf'

interface Row {
  connections: number
  phase: 'idle' | 'adding'
  mix: Mix
  requests: number
  seconds: number
  rps: number
  p50: number
  p95: number
  p99: number
  max: number
  errors: number
  /** CPU of the server process (user + system) per request, ms: what a request costs, whatever else runs on the box. */
  serverCpuMs: number
  /** CPU of this process (the client) per request, ms. */
  clientCpuMs: number
  /** While adding: how long the POST took, and until the save after it was on disk. */
  addMs?: number
  savedMs?: number
}

/** User + system CPU ms of process `pid` so far (Linux: /proc/<pid>/stat, in clock ticks of 10 ms). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!
}

/** A running `jiansuo serve` and its base URL. */
interface Server {
  child: ChildProcess
  base: string
  /** Spawn to "serving" (load + warm-up), ms. */
  startMs: number
  stop(): Promise<void>
}

async function startServer(file: string): Promise<Server> {
  const t0 = performance.now()
  const child = spawn(process.execPath, [CLI, 'serve', file, '--port', '0', '--token', TOKEN, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  const base = await new Promise<string>((resolveBase, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
      const m = / on (http:\/\/[^ ]+) /.exec(stderr)
      if (m) resolveBase(m[1]!)
    })
    child.once('exit', (code) => reject(new Error(`jiansuo serve exited (${code}): ${stderr}`)))
  })
  const startMs = performance.now() - t0
  return {
    child,
    base,
    startMs,
    stop: () =>
      new Promise<void>((done) => {
        child.once('exit', () => done())
        child.kill('SIGTERM')
      }),
  }
}

/** One request on `agent`; resolves with the status once the whole body has arrived. */
function request(agent: http.Agent, url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolveReply, reject) => {
    const req = http.request(url, { agent, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolveReply({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(init.body)
  })
}

/**
 * `connections` closed loops of GET /search until `until()` says stop; returns the latency of
 * every request that started while `counting()` held.
 */
async function load(server: Server, pick: () => string, connections: number, until: () => boolean, counting: () => boolean) {
  const base = server.base
  const serverCpu0 = processCpuMs(server.child.pid!)
  const clientCpu0 = process.cpuUsage()
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections })
  const latencies: number[] = []
  let errors = 0
  let next = 0
  const t0 = performance.now()
  const loop = async (): Promise<void> => {
    while (!until()) {
      const path = pick()
      next++
      const counted = counting()
      const start = performance.now()
      try {
        const { status } = await request(agent, base + path)
        if (status !== 200) errors++
      } catch {
        errors++
      }
      if (counted) latencies.push(performance.now() - start)
    }
  }
  await Promise.all(Array.from({ length: connections }, loop))
  const seconds = (performance.now() - t0) / 1000
  agent.destroy()
  const clientCpu = process.cpuUsage(clientCpu0)
  const requests = Math.max(1, next)
  return {
    latencies: Float64Array.from(latencies).sort(),
    errors,
    seconds,
    serverCpuMs: (processCpuMs(server.child.pid!) - serverCpu0) / requests,
    clientCpuMs: (clientCpu.user + clientCpu.system) / 1000 / requests,
  }
}

/**
 * The order queries are asked in. `distinct`: each in turn, continuing across rows (a row of
 * 20,000 requests asks each once: nothing a cache could keep is asked again). `zipf`: drawn with
 * probability ∝ 1 / rank (seeded), the shape of real query logs — a few queries asked often, most
 * once — so the stored texts of popular results are read again, as on a live search box.
 */
function picker(paths: readonly string[], mix: Mix): () => string {
  if (mix === 'distinct') {
    let next = 0
    return () => paths[next++ % paths.length]!
  }
  const rand = mulberry32(DEFAULT_SEED)
  const cumulative = new Float64Array(paths.length)
  let sum = 0
  for (let k = 0; k < paths.length; k++) cumulative[k] = sum += 1 / (k + 1)
  return () => {
    const x = rand() * sum
    let lo = 0
    let hi = paths.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (cumulative[mid]! < x) lo = mid + 1
      else hi = mid
    }
    return paths[lo]!
  }
}

function row(connections: number, phase: Row['phase'], mix: Mix, sample: Awaited<ReturnType<typeof load>>, seconds: number, addMs?: number, savedMs?: number): Row {
  const l = sample.latencies
  return {
    connections,
    phase,
    mix,
    requests: l.length,
    seconds,
    rps: l.length / seconds,
    p50: percentile(l, 0.5),
    p95: percentile(l, 0.95),
    p99: percentile(l, 0.99),
    max: l.length ? l[l.length - 1]! : NaN,
    errors: sample.errors,
    serverCpuMs: sample.serverCpuMs,
    clientCpuMs: sample.clientCpuMs,
    ...(addMs === undefined ? {} : { addMs }),
    ...(savedMs === undefined ? {} : { savedMs }),
  }
}

async function main() {
  const opts = parseCli(process.argv.slice(2), ['corpus'])
  const corpus = resolve((opts.get('corpus') ?? [DEFAULT_CORPUS])[0]!)
  const seconds = optNumber(opts, 'seconds', 10)
  const connectionList = (optString(opts, 'connections') ?? '1,20,100').split(',').map(Number)
  const batchSize = optNumber(opts, 'batch', 1000)
  const queryCount = optNumber(opts, 'queries', 20_000)
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first (npm run bench:serve does).`)

  const docs = loadDocs({ sources: [corpus] })
  const base = docs.slice(0, docs.length - batchSize)
  const batch = docs.slice(docs.length - batchSize)
  const { commit, srcHash } = srcFingerprint()
  const cachePath = fileURLToPath(new URL(`./.cache/serve-${srcHash}-${base.length}.jiansuo`, import.meta.url))
  mkdirSync(dirname(cachePath), { recursive: true })
  if (!existsSync(cachePath)) {
    // Indexes of earlier src/ versions are of no further use (each is ~40 MB).
    for (const old of readdirSync(dirname(cachePath), { withFileTypes: true })) {
      if (old.isFile() && /^serve-[0-9a-f]+-\d+\.jiansuo$/.test(old.name)) rmSync(join(dirname(cachePath), old.name))
    }
    log(`building the index of ${base.length} documents …`)
    const engine = new SearchEngine(OPTIONS)
    await engine.addAllParallel(base.map(toDocument))
    await engine.save(cachePath)
  }
  // Generating segments thousands of article windows (~20 s for 20,000): done once per corpus and count.
  const queriesPath = fileURLToPath(new URL(`./.cache/serve-queries-${createHash('sha1').update(corpus).digest('hex').slice(0, 8)}-${queryCount}.json`, import.meta.url))
  const queries: { text: string }[] = existsSync(queriesPath) ? JSON.parse(readFileSync(queriesPath, 'utf8')) : generateQueries(docs, queryCount)
  if (!existsSync(queriesPath)) writeFileSync(queriesPath, JSON.stringify(queries))
  const paths = queries.map((q) => `/search?q=${encodeURIComponent(q.text)}`)
  const body = batch.map((d) => JSON.stringify({ id: d.id, title: d.title, body: d.text })).join('\n')
  const dir = mkdtempSync(join(tmpdir(), 'jiansuo-serve-load-'))
  const rows: Row[] = []
  let first = { startMs: NaN, firstMs: NaN }
  try {
    const mixes: Mix[] = ['distinct', 'zipf']
    const pickers = { distinct: picker(paths, 'distinct'), zipf: picker(paths, 'zipf') }
    // ---- idle: one server for every row
    {
      const file = join(dir, 'idle.jiansuo')
      copyFileSync(cachePath, file)
      const server = await startServer(file)
      const agent = new http.Agent({ keepAlive: true })
      const t = performance.now()
      const reply = await request(agent, server.base + paths[0]!)
      first = { startMs: server.startMs, firstMs: performance.now() - t }
      if (reply.status !== 200) throw new Error(`first search: ${reply.status} ${reply.body}`)
      agent.destroy()
      log(`started in ${server.startMs.toFixed(0)} ms; first search ${first.firstMs.toFixed(1)} ms`)
      // A short warm-up pass (JIT, socket pools) that is not counted, from the end of the list.
      await load(server, picker(paths.toReversed(), 'distinct'), 20, deadline(2), () => false)
      for (const mix of mixes) {
        for (const c of connectionList) {
          const sample = await load(server, pickers[mix], c, deadline(seconds), () => true)
          rows.push(row(c, 'idle', mix, sample, sample.seconds))
          log(`idle, ${mix}, ${c} connections: ${describe(rows.at(-1)!)}`)
        }
      }
      await server.stop()
    }
    // ---- while adding: a fresh server per row, the batch as one POST /docs
    for (const mix of mixes) {
      for (const c of connectionList) {
        const file = join(dir, `adding-${mix}-${c}.jiansuo`)
        copyFileSync(cachePath, file)
        const server = await startServer(file)
        await load(server, picker(paths.toReversed(), 'distinct'), 20, deadline(2), () => false)
        const agent = new http.Agent({ keepAlive: true })
        let adding = true
        const savedBefore = statSync(file).mtimeMs
        const t = performance.now()
        // The write path ends when the server's save after the batch is on disk (about a second
        // after the answer; the encoding runs on the event loop), not when POST /docs answers.
        let answeredMs = NaN
        const posted = request(agent, `${server.base}/docs`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' }, body })
          .then(async (reply) => {
            answeredMs = performance.now() - t
            const until = performance.now() + 10_000
            while (statSync(file).mtimeMs === savedBefore && performance.now() < until) await new Promise((r) => setTimeout(r, 10))
            return reply
          })
          .finally(() => (adding = false))
        const sample = await load(server, pickers[mix], c, () => !adding, () => adding)
        const reply = await posted
        const addMs = answeredMs
        const savedMs = performance.now() - t
        if (reply.status !== 200) throw new Error(`POST /docs: ${reply.status} ${reply.body}`)
        agent.destroy()
        rows.push(row(c, 'adding', mix, sample, savedMs / 1000, addMs, savedMs))
        log(`adding ${batchSize}, ${mix}, ${c} connections: ${describe(rows.at(-1)!)}`)
        await server.stop()
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }

  const at20 = (phase: Row['phase'], mix: Mix = 'zipf') => rows.find((r) => r.connections === 20 && r.phase === phase && r.mix === mix)
  const verdict = (value: number | undefined, bound: number) => (value === undefined ? '–' : value <= bound ? 'met' : 'NOT met')
  const header = [
    `${base.length.toLocaleString('en-US')} documents (${corpus}), fields title (boost 2) + body; ${queries.length} distinct generated queries, default search options (10 hits with snippets and the stored documents).`,
    `Server: node dist/cli.js serve, one process; client: this process, keep-alive connections, closed loop, ${seconds} s per idle row. ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}; 1-min load average at the end ${loadavg()[0]!.toFixed(1)}. jiansuo: commit ${commit?.slice(0, 10) ?? '–'}, src/ hash ${srcHash}.`,
    `Start (load + warm-up) ${first.startMs.toFixed(0)} ms; first search after it ${first.firstMs.toFixed(1)} ms (≤ ${TARGET.firstQuery}: ${verdict(first.firstMs, TARGET.firstQuery)}). At 20 connections, p95 idle / while adding: ${(['zipf', 'distinct'] as Mix[]).map((mix) => `${mix} ${fmt(at20('idle', mix)?.p95 ?? NaN)} ms (≤ ${TARGET.idleP95}: ${verdict(at20('idle', mix)?.p95, TARGET.idleP95)}) / ${fmt(at20('adding', mix)?.p95 ?? NaN)} ms (≤ ${TARGET.addingP95}: ${verdict(at20('adding', mix)?.p95, TARGET.addingP95)})`).join('; ')}.`,
  ]
  const table = markdownTable(
    ['connections', 'queries', 'while', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'server CPU ms / req', 'client CPU ms / req', 'errors'],
    rows.map((r) => [
      String(r.connections),
      r.mix,
      r.phase === 'idle' ? 'idle' : `adding ${batchSize} (${(r.addMs! / 1000).toFixed(1)} s) + save (${((r.savedMs! - r.addMs!) / 1000).toFixed(1)} s)`,
      String(r.requests),
      fmt(r.rps),
      fmt(r.p50, 2),
      fmt(r.p95, 2),
      fmt(r.p99, 2),
      fmt(r.max),
      fmt(r.serverCpuMs, 3),
      fmt(r.clientCpuMs, 3),
      String(r.errors),
    ]),
  )
  const md = `${header.join('\n\n')}\n\n${table}\n`
  process.stdout.write(md)
  const mdPath = optString(opts, 'md')
  if (mdPath) writeFileSync(mdPath, md)
  const jsonPath = optString(opts, 'json')
  if (jsonPath) writeFileSync(jsonPath, JSON.stringify({ first, rows }, null, 2))
}

function toDocument(d: Doc) {
  return { id: d.id, title: d.title, body: d.text }
}

function deadline(seconds: number): () => boolean {
  const end = performance.now() + seconds * 1000
  return () => performance.now() >= end
}

function describe(r: Row): string {
  return `${r.requests} requests, ${r.rps.toFixed(0)}/s, p50 ${r.p50.toFixed(2)} p95 ${r.p95.toFixed(2)} p99 ${r.p99.toFixed(2)} max ${r.max.toFixed(1)} ms, CPU/req server ${r.serverCpuMs.toFixed(3)} client ${r.clientCpuMs.toFixed(3)} ms, ${r.errors} errors`
}

await main()
