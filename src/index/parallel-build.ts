/**
 * Parallel indexing: documents are analyzed (and their stored forms compressed) in batches on
 * worker threads AND on the calling thread, and delivered in document order, so a parallel build
 * equals a serial one byte for byte.
 *
 * Workers stay in a pool between builds with their dictionaries loaded (nodejieba takes seconds
 * to load one); `warmWorkers` loads them ahead of time. The calling thread takes batches too:
 * it has its dictionary already, so it works while new workers are still loading theirs, and on
 * a 2-core machine it is one of the two cores.
 *
 * A worker is never terminated from outside: `Worker#terminate()` while a worker is inside
 * nodejieba's native code aborts the whole process (SIGABRT). A failed build stops sending
 * batches and waits for the ones in flight; a worker leaves the pool by exiting itself.
 */
import { Worker } from 'node:worker_threads'
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createRequire } from 'node:module'
import type { DocumentTerms } from './document-terms.js'
import type { NormalizeOptions } from '../analysis/normalize.js'
import type { SegmenterName } from '../analysis/segmenter.js'
import type { BatchInput, BatchOutput } from './batch-analysis.js'
import { JiansuoError, describeValue } from '../errors.js'

export interface WorkerConfig {
  segmenter: SegmenterName
  normalize: NormalizeOptions
  stopwords: readonly string[]
  userWords: readonly string[]
}

export type WorkerRequest =
  | { type: 'warm'; segmenter: SegmenterName }
  | { type: 'init'; config: WorkerConfig; dictionary: Uint8Array }
  | { type: 'batch'; batch: number; input: BatchInput }
  /** Leave the pool: the worker exits by itself, between messages. */
  | { type: 'exit' }
/** Every request but `exit` gets exactly one response (`init` and `warm`: `ready`). */
export type WorkerResponse =
  | { type: 'ready' }
  | { type: 'result'; batch: number; output: BatchOutput }
  | { type: 'error'; batch: number; message: string }

/** Documents per batch: large enough to amortize messaging, small enough to keep every thread busy. */
const BATCH = 64
/** Work this thread does per event-loop turn when it analyzes too (see analyzeInParallel). */
const HERE_SLICE_MS = 4

/**
 * What a worker is started with (`workerData`). A background worker lowers its thread's
 * scheduling priority, which cannot be raised back without privileges, so background workers
 * have a pool of their own.
 */
export interface WorkerStart {
  background: boolean
}

/** Start a worker: `build-worker.js` beside the built bundle, or the TypeScript source through tsx. */
function startWorker(background: boolean): Worker {
  const workerData: WorkerStart = { background }
  for (const name of ['./build-worker.js', './index/build-worker.js']) {
    const url = new URL(name, import.meta.url)
    if (existsSync(fileURLToPath(url))) return new Worker(url, { workerData })
  }
  const source = new URL('./build-worker.ts', import.meta.url)
  if (existsSync(fileURLToPath(source))) {
    // Running from source (tests, bench): register tsx inside the worker, then load the script.
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href
    return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(source.href)}) })`, { eval: true, workerData })
  }
  throw new JiansuoError('INVALID_OPTION', 'The parallel build worker script is missing from the package; reinstall jiansuo or use addAll().')
}

/**
 * The most workers alive at once (idle, working or shutting down), and the most `workers` a build
 * may ask for: twice the CPUs. Each worker holds its own dictionary (~50 MB for nodejieba).
 */
export function maxWorkers(): number {
  return availableParallelism() * 2
}

/** The `workers` option, checked: an integer from 0 to `maxWorkers()`, else `INVALID_OPTION`. */
export function checkWorkerCount(value: unknown): number {
  const max = maxWorkers()
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max) return value
  throw new JiansuoError(
    'INVALID_OPTION',
    `workers must be an integer from 0 to ${max} (twice the ${availableParallelism()} CPUs), got ${describeValue(value)}.`,
    { details: { option: 'workers', value, min: 0, max } },
  )
}

/**
 * Every worker alive, and the idle ones among them (unreferenced: an idle pool never keeps a
 * process alive), normal-priority and background ones apart.
 */
const live = new Set<Worker>()
const idlePools = { normal: [] as Worker[], background: [] as Worker[] }
const idleCount = () => idlePools.normal.length + idlePools.background.length

/** How many workers are alive and how many of them wait in the pool (for tests and diagnostics). */
export function workerPoolSize(): { live: number; idle: number } {
  return { live: live.size, idle: idleCount() }
}

/** How many of the idle workers are background ones. */
export function idleBackgroundWorkers(): number {
  return idlePools.background.length
}

function track(worker: Worker): Worker {
  live.add(worker)
  // Listeners of the pool itself; a job adds (and later removes) its own.
  worker.on('error', () => {})
  worker.on('exit', () => {
    live.delete(worker)
    for (const pool of [idlePools.normal, idlePools.background]) {
      const i = pool.indexOf(worker)
      if (i >= 0) pool.splice(i, 1)
    }
  })
  return worker
}

/** Up to `count` workers of that priority, pooled ones first; fewer when `maxWorkers()` are alive already. */
function acquire(count: number, background: boolean): Worker[] {
  const idle = background ? idlePools.background : idlePools.normal
  const workers = idle.splice(0, count)
  try {
    while (workers.length < count && live.size < maxWorkers()) workers.push(track(startWorker(background)))
  } catch (err) {
    idle.push(...workers)
    throw err
  }
  for (const worker of workers) worker.ref()
  return workers
}

/**
 * The workers lent to one job (a build or a warm-up). A worker is never terminated from outside:
 * terminating one inside nodejieba's native code aborts the whole process. Instead every request
 * it was sent is counted until answered, and once the job is over each worker goes back to the
 * pool as soon as it has answered everything — or, if it replied with an error, is asked to exit
 * (it does so itself, between messages). A worker that exits is dropped.
 */
class Crew {
  private readonly members: { worker: Worker; pending: number; broken: boolean; gone: boolean; returned: boolean; detach: () => void }[]
  private over = false
  private drained: (() => void) | undefined

  private readonly idle: Worker[]

  constructor(count: number, background: boolean, onReply: (member: number, reply: WorkerResponse) => void, onLost: (err: Error) => void) {
    this.idle = background ? idlePools.background : idlePools.normal
    this.members = acquire(count, background).map((worker, index) => {
      const member = { worker, pending: 0, broken: false, gone: false, returned: false, detach: () => {} }
      const message = (reply: WorkerResponse) => {
        member.pending--
        if (reply.type === 'error') member.broken = true
        try {
          onReply(index, reply)
        } finally {
          this.settle()
        }
      }
      const error = (err: Error) => onLost(err)
      const exit = () => {
        member.gone = true
        onLost(new Error('index worker exited during a build'))
        this.settle()
      }
      worker.on('message', message)
      worker.on('error', error)
      worker.on('exit', exit)
      member.detach = () => {
        worker.off('message', message)
        worker.off('error', error)
        worker.off('exit', exit)
      }
      return member
    })
  }

  get size(): number {
    return this.members.length
  }

  /** Send a request to member `i` (every request gets exactly one reply). */
  send(i: number, request: WorkerRequest): void {
    const member = this.members[i]!
    if (member.gone || member.returned) return
    member.pending++
    member.worker.postMessage(request)
  }

  /** The job is over (done or failed): resolves once no worker is still working for it. */
  finish(): Promise<void> {
    this.over = true
    return new Promise((resolve) => {
      this.drained = resolve
      this.settle()
    })
  }

  /** Once the job is over, hand back every worker that has answered all its requests. */
  private settle(): void {
    if (!this.over) return
    for (const member of this.members) {
      if (member.returned || (member.pending > 0 && !member.gone)) continue
      member.returned = true
      member.detach()
      if (member.gone) continue
      member.worker.unref()
      // Idle now, so it may be shut down: by a message it handles between others, never terminate().
      if (member.broken || idleCount() >= maxWorkers()) member.worker.postMessage({ type: 'exit' } satisfies WorkerRequest)
      else this.idle.push(member.worker)
    }
    if (this.members.every((member) => member.returned)) this.drained?.()
  }
}

/** Start `count` pooled workers and load `segmenter` in each, so the next parallel build starts at full speed. */
export async function warmWorkers(count: number, segmenter: SegmenterName): Promise<void> {
  let failure: { error: unknown } | undefined
  const fail = (error: unknown) => (failure ??= { error })
  const crew = new Crew(
    count,
    false,
    (_, reply) => {
      if (reply.type === 'error') fail(new Error(`index worker failed: ${reply.message}`))
    },
    fail,
  )
  for (let i = 0; i < crew.size; i++) crew.send(i, { type: 'warm', segmenter })
  await crew.finish()
  if (failure) throw failure.error
}

/**
 * Analyze every document of `input` on up to `workers` pooled threads plus this one
 * (`analyzeHere`; none when it is undefined, and then the workers run at background priority); `onResult` receives each document's terms and compressed stored form, in
 * document order. If anything fails (a worker, `analyzeHere`, `onResult`), no more batches are
 * sent, results still arriving are ignored, and the promise rejects with that error once every
 * worker has finished the batches it had (each then goes back to the pool).
 */
export async function analyzeInParallel(
  input: BatchInput,
  config: WorkerConfig,
  dictionary: Uint8Array,
  workers: number,
  analyzeHere: ((batch: BatchInput) => BatchOutput) | undefined,
  onResult: (index: number, terms: DocumentTerms, stored: Uint8Array) => void,
): Promise<void> {
  const batches = Math.ceil(input.texts.length / BATCH)
  if (batches === 0) return
  const slice = (batch: number): BatchInput => ({
    texts: input.texts.slice(batch * BATCH, (batch + 1) * BATCH),
    stored: input.stored.slice(batch * BATCH, (batch + 1) * BATCH),
  })
  const done = new Map<number, BatchOutput>()
  let nextToDeliver = 0
  let nextToSend = 0
  let failure: { error: unknown } | undefined
  let complete = false
  await new Promise<void>((resolve, reject) => {
    const stopped = () => failure !== undefined || complete
    const fail = (error: unknown) => {
      if (stopped()) return
      failure = { error }
      void crew.finish().then(() => reject(error))
    }
    // Deliver in order; later batches wait until the earlier ones arrive.
    const deliver = () => {
      while (!stopped() && done.has(nextToDeliver)) {
        const { terms, bytes, offsets } = done.get(nextToDeliver)!
        done.delete(nextToDeliver)
        for (let i = 0; i < terms.length; i++) onResult(nextToDeliver * BATCH + i, terms[i]!, bytes.subarray(offsets[i]!, offsets[i + 1]!))
        nextToDeliver++
      }
      if (nextToDeliver === batches && !stopped()) {
        complete = true
        // Every batch has been answered; a worker still loading its dictionary joins the pool when done.
        void crew.finish()
        resolve()
      }
    }
    const send = (member: number) => {
      if (stopped() || nextToSend >= batches) return
      const batch = nextToSend++
      crew.send(member, { type: 'batch', batch, input: slice(batch) })
    }
    const crew = new Crew(
      workers,
      analyzeHere === undefined,
      (member, reply) => {
        if (stopped()) return
        try {
          if (reply.type === 'error') throw new Error(`index worker failed: ${reply.message}`)
          if (reply.type !== 'result') return
          done.set(reply.batch, reply.output)
          deliver()
          send(member)
        } catch (err) {
          fail(err)
        }
      },
      fail,
    )
    for (let member = 0; member < crew.size; member++) {
      crew.send(member, { type: 'init', config, dictionary })
      // Two batches in flight per worker keep it busy while this thread is occupied.
      send(member)
      send(member)
    }
    // This thread takes a batch whenever one is left, but analyzes it a few documents at a time
    // (about HERE_SLICE_MS of work per turn), yielding in between: worker results are taken in as
    // they arrive, and a server's requests wait milliseconds, not a whole batch (~80 ms).
    let current: { batch: number; input: BatchInput; parts: BatchOutput[]; at: number } | undefined
    let perDocument = 1
    const here = () => {
      if (stopped() || !analyzeHere) return
      try {
        if (!current) {
          if (nextToSend >= batches) return
          const batch = nextToSend++
          current = { batch, input: slice(batch), parts: [], at: 0 }
        }
        const count = Math.max(1, Math.min(current.input.texts.length - current.at, Math.floor(HERE_SLICE_MS / perDocument)))
        const started = performance.now()
        current.parts.push(analyzeHere({ texts: current.input.texts.slice(current.at, current.at + count), stored: current.input.stored.slice(current.at, current.at + count) }))
        // A running estimate of this thread's cost per document sizes the next slice.
        perDocument = 0.7 * perDocument + 0.3 * Math.max(0.01, (performance.now() - started) / count)
        current.at += count
        if (current.at === current.input.texts.length) {
          done.set(current.batch, mergeOutputs(current.parts))
          current = undefined
          deliver()
        }
        setImmediate(here)
      } catch (err) {
        fail(err)
      }
    }
    setImmediate(here)
  })
}

/** Outputs of consecutive slices of one batch as one output (the same bytes as one call would give). */
function mergeOutputs(parts: BatchOutput[]): BatchOutput {
  if (parts.length === 1) return parts[0]!
  const terms = parts.flatMap((p) => p.terms)
  const offsets = new Uint32Array(terms.length + 1)
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.bytes.length, 0))
  let doc = 0
  let at = 0
  for (const part of parts) {
    bytes.set(part.bytes, at)
    for (let i = 1; i < part.offsets.length; i++) offsets[++doc] = at + part.offsets[i]!
    at += part.bytes.length
  }
  return { terms, bytes, offsets }
}
