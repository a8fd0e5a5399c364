/**
 * Worker thread for parallel indexing: loads its own segmenter once (it stays loaded while the
 * worker waits in the pool for the next build), analyzes batches of documents and compresses
 * their stored forms, and sends the results back moved (transferred), not copied. Results equal
 * the calling thread's: same analyzer configuration, same dictionary, same code (analyzeBatch).
 */
import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'
import { parentPort, workerData } from 'node:worker_threads'
import { Analyzer } from '../analysis/analyzer.js'
import { namedSegmenter } from '../analysis/named-segmenter.js'
import { analyzeBatch, transferList } from './batch-analysis.js'
import type { WorkerRequest, WorkerResponse, WorkerStart } from './parallel-build.js'

/**
 * A background worker's scheduling priority (Linux nice; 0 is normal): under contention it gets
 * about a tenth of the CPU a normal thread gets (CFS weights 110 vs 1024), on an idle core all of it.
 */
const BACKGROUND_NICE = 10

if ((workerData as WorkerStart | undefined)?.background) {
  // This thread only (Linux: a thread id given to setpriority names one thread, and
  // /proc/thread-self names this one). Elsewhere it runs at normal priority.
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), BACKGROUND_NICE)
  } catch {
    // not Linux, or no /proc: the build is the same, only not yielding to other threads
  }
}

let analyzer: Analyzer | undefined
let dictionary: Uint8Array = new Uint8Array(0)

function reply(message: WorkerResponse, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer)
}

parentPort!.on('message', (message: WorkerRequest) => {
  try {
    switch (message.type) {
      case 'warm':
        // Load the dictionary now (seconds for nodejieba), before any build needs it.
        namedSegmenter(message.segmenter).cut('预热')
        reply({ type: 'ready' })
        return
      case 'init':
        analyzer = new Analyzer({ ...message.config, segmenter: namedSegmenter(message.config.segmenter) })
        dictionary = message.dictionary
        reply({ type: 'ready' })
        return
      case 'batch': {
        const output = analyzeBatch(analyzer!, message.input, dictionary)
        reply({ type: 'result', batch: message.batch, output }, transferList(output))
        return
      }
      case 'exit':
        // Asked to leave the pool: exit here, between messages, never inside native code.
        process.exit(0)
    }
  } catch (err) {
    reply({ type: 'error', batch: message.type === 'batch' ? message.batch : -1, message: (err as Error)?.stack ?? String(err) })
  }
})
