/**
 * Parallel indexing: documents are analyzed (and their stored forms compressed) in batches on
 * worker threads AND on the calling thread, and delivered in document order, so a parallel build
 * equals a serial one byte for byte.
 *
 * Workers stay in a pool between builds with their dictionaries loaded (nodejieba takes seconds
 * to load one); `warmWorkers` loads them ahead of time. The calling thread takes batches too:
 * it has its dictionary already, so it works while new workers are still loading theirs, and on
 * a 2-core machine it is one of the two cores.
 */
import { Worker } from 'node:worker_threads'
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createRequire } from 'node:module'
import type { DocumentTerms } from './document-terms.js'
import type { NormalizeOptions } from '../analysis/normalize.js'
import type { SegmenterName } from '../analysis/segmenter.js'
import type { BatchInput, BatchOutput } from './batch-analysis.js'
import { JiansuoError } from '../errors.js'

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
export type WorkerResponse =
  | { type: 'ready' }
  | { type: 'result'; batch: number; output: BatchOutput }
  | { type: 'error'; batch: number; message: string }

/** Documents per batch: large enough to amortize messaging, small enough to keep every thread busy. */
const BATCH = 64

/** Start a worker: `build-worker.js` beside the built bundle, or the TypeScript source through tsx. */
function startWorker(): Worker {
  for (const name of ['./build-worker.js', './index/build-worker.js']) {
    const url = new URL(name, import.meta.url)
    if (existsSync(fileURLToPath(url))) return new Worker(url)
  }
  const source = new URL('./build-worker.ts', import.meta.url)
  if (existsSync(fileURLToPath(source))) {
    // Running from source (tests, bench): register tsx inside the worker, then load the script.
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href
    return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(source.href)}) })`, { eval: true })
  }
  throw new JiansuoError('INVALID_OPTION', 'The parallel build worker script is missing from the package; reinstall jiansuo or use addAll().')
}

/** Idle workers between builds. Unreferenced, so an idle pool never keeps a process alive. */
const idle: Worker[] = []

function dropIdle(worker: Worker): void {
  const i = idle.indexOf(worker)
  if (i >= 0) idle.splice(i, 1)
}

function acquire(count: number): Worker[] {
  const workers = idle.splice(0, count)
  while (workers.length < count) workers.push(startWorker())
  for (const worker of workers) {
    worker.removeAllListeners()
    worker.ref()
  }
  return workers
}

function release(workers: Worker[], healthy: boolean): void {
  for (const worker of workers) {
    worker.removeAllListeners()
    if (!healthy) {
      void worker.terminate()
      continue
    }
    worker.unref()
    // A worker that dies while idle leaves the pool.
    worker.on('error', () => dropIdle(worker))
    worker.on('exit', () => dropIdle(worker))
    idle.push(worker)
  }
}

/** Start `count` pooled workers and load `segmenter` in each, so the next parallel build starts at full speed. */
export async function warmWorkers(count: number, segmenter: SegmenterName): Promise<void> {
  const workers = acquire(count)
  let healthy = false
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            worker.on('message', (reply: WorkerResponse) => (reply.type === 'ready' ? resolve() : reject(new Error(`index worker failed: ${reply.type === 'error' ? reply.message : reply.type}`))))
            worker.on('error', reject)
            worker.postMessage({ type: 'warm', segmenter } satisfies WorkerRequest)
          }),
      ),
    )
    healthy = true
  } finally {
    release(workers, healthy)
  }
}

/**
 * Analyze every document of `input` on `workers` pooled threads plus this one (`analyzeHere`);
 * `onResult` receives each document's terms and compressed stored form, in document order.
 */
export async function analyzeInParallel(
  input: BatchInput,
  config: WorkerConfig,
  dictionary: Uint8Array,
  workers: number,
  analyzeHere: (batch: BatchInput) => BatchOutput,
  onResult: (index: number, terms: DocumentTerms, stored: Uint8Array) => void,
): Promise<void> {
  const batches = Math.ceil(input.texts.length / BATCH)
  if (batches === 0) return
  const slice = (batch: number): BatchInput => ({
    texts: input.texts.slice(batch * BATCH, (batch + 1) * BATCH),
    stored: input.stored.slice(batch * BATCH, (batch + 1) * BATCH),
  })
  const pool = acquire(workers)
  const done = new Map<number, BatchOutput>()
  let nextToDeliver = 0
  let nextToSend = 0
  let healthy = false
  try {
    await new Promise<void>((resolve, reject) => {
      let settled = false
      const fail = (err: unknown) => {
        if (settled) return
        settled = true
        reject(err)
      }
      // Deliver in order; later batches wait until the earlier ones arrive.
      const deliver = () => {
        while (done.has(nextToDeliver)) {
          const { terms, bytes, offsets } = done.get(nextToDeliver)!
          done.delete(nextToDeliver)
          for (let i = 0; i < terms.length; i++) onResult(nextToDeliver * BATCH + i, terms[i]!, bytes.subarray(offsets[i]!, offsets[i + 1]!))
          nextToDeliver++
        }
        if (nextToDeliver === batches && !settled) {
          settled = true
          resolve()
        }
      }
      const send = (worker: Worker) => {
        if (nextToSend >= batches) return
        const batch = nextToSend++
        worker.postMessage({ type: 'batch', batch, input: slice(batch) } satisfies WorkerRequest)
      }
      for (const worker of pool) {
        worker.postMessage({ type: 'init', config, dictionary } satisfies WorkerRequest)
        worker.on('message', (reply: WorkerResponse) => {
          if (settled) return
          try {
            if (reply.type === 'error') throw new Error(`index worker failed: ${reply.message}`)
            if (reply.type !== 'result') return
            done.set(reply.batch, reply.output)
            deliver()
            send(worker)
          } catch (err) {
            fail(err)
          }
        })
        worker.on('error', fail)
        worker.on('exit', () => fail(new Error('index worker exited during a build')))
        // Two batches in flight per worker keep it busy while this thread is occupied.
        send(worker)
        send(worker)
      }
      // This thread takes a batch whenever one is left, yielding in between so worker results
      // are taken in (and delivered) as they arrive.
      const here = () => {
        if (settled || nextToSend >= batches) return
        try {
          const batch = nextToSend++
          done.set(batch, analyzeHere(slice(batch)))
          deliver()
          setImmediate(here)
        } catch (err) {
          fail(err)
        }
      }
      setImmediate(here)
    })
    healthy = true
  } finally {
    release(pool, healthy)
  }
}
