/**
 * Analyze documents on worker threads (each loads the segmenter once), delivering results in
 * document order, so a parallel build equals a single-threaded one. Segmentation is the cost of
 * indexing; on N cores it runs N at a time while the main thread writes postings.
 */
import { Worker } from 'node:worker_threads'
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createRequire } from 'node:module'
import type { DocumentTerms } from './document-terms.js'
import type { NormalizeOptions } from '../analysis/normalize.js'
import { JiansuoError } from '../errors.js'

export interface WorkerConfig {
  segmenter: 'nodejieba' | 'node-rs-jieba'
  normalize: NormalizeOptions
  stopwords: readonly string[]
  userWords: readonly string[]
}

export type WorkerRequest = { type: 'init'; config: WorkerConfig } | { type: 'batch'; batch: number; docs: string[][] }
export type WorkerResponse =
  | { type: 'result'; batch: number; results: DocumentTerms[] }
  | { type: 'error'; batch: number; message: string }

/** Documents per message: large enough to amortize messaging, small enough to keep workers busy. */
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

/**
 * Analyze `docs` (each an array of field texts) on `workers` threads; `onResult` receives each
 * document's terms in order.
 */
export async function analyzeInWorkers(
  docs: readonly string[][],
  config: WorkerConfig,
  workers: number,
  onResult: (index: number, terms: DocumentTerms) => void,
): Promise<void> {
  const pool = Array.from({ length: workers }, startWorker)
  const batches = Math.ceil(docs.length / BATCH)
  const done = new Map<number, DocumentTerms[]>()
  let nextToDeliver = 0
  let nextToSend = 0
  try {
    await new Promise<void>((resolve, reject) => {
      if (batches === 0) return resolve()
      const send = (worker: Worker) => {
        if (nextToSend >= batches) return
        const batch = nextToSend++
        const request: WorkerRequest = { type: 'batch', batch, docs: docs.slice(batch * BATCH, (batch + 1) * BATCH) as string[][] }
        worker.postMessage(request)
      }
      for (const worker of pool) {
        worker.postMessage({ type: 'init', config } satisfies WorkerRequest)
        worker.on('message', (reply: WorkerResponse) => {
          if (reply.type === 'error') {
            reject(new Error(`index worker failed: ${reply.message}`))
            return
          }
          done.set(reply.batch, reply.results)
          // Deliver in order; later batches wait until the earlier ones arrive.
          while (done.has(nextToDeliver)) {
            const results = done.get(nextToDeliver)!
            done.delete(nextToDeliver)
            results.forEach((terms, i) => onResult(nextToDeliver * BATCH + i, terms))
            nextToDeliver++
          }
          if (nextToDeliver === batches) resolve()
          else send(worker)
        })
        worker.on('error', reject)
        // Two batches in flight per worker keep it busy while the main thread consumes results.
        send(worker)
        send(worker)
      }
    })
  } finally {
    await Promise.all(pool.map((w) => w.terminate()))
  }
}
