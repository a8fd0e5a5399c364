/**
 * Worker thread for parallel indexing: loads its own segmenter once, analyzes batches of
 * documents (field texts) and sends back each document's terms as flat typed arrays, moved
 * (transferred), not copied. Results equal the main thread's: same analyzer configuration.
 */
import { parentPort } from 'node:worker_threads'
import { Analyzer } from '../analysis/analyzer.js'
import { nodejiebaSegmenter } from '../analysis/nodejieba.js'
import { nodeRsJiebaSegmenter } from '../analysis/node-rs-jieba.js'
import { groupByTerm, type DocumentTerms } from './document-terms.js'
import type { WorkerConfig, WorkerRequest, WorkerResponse } from './parallel-build.js'

let analyzer: Analyzer | undefined

function init(config: WorkerConfig): void {
  analyzer = new Analyzer({
    segmenter: config.segmenter === 'node-rs-jieba' ? nodeRsJiebaSegmenter() : nodejiebaSegmenter(),
    normalize: config.normalize,
    stopwords: config.stopwords,
    userWords: config.userWords,
  })
}

parentPort!.on('message', (message: WorkerRequest) => {
  try {
    if (message.type === 'init') {
      init(message.config)
      return
    }
    const results: DocumentTerms[] = message.docs.map((fields) => groupByTerm(fields.map((text) => analyzer!.analyzeTerms(text))))
    const transfer = results.flatMap((r) => [r.freqs.buffer, r.posStart.buffer, r.positions.buffer] as ArrayBuffer[])
    const reply: WorkerResponse = { type: 'result', batch: message.batch, results }
    parentPort!.postMessage(reply, transfer)
  } catch (err) {
    const reply: WorkerResponse = { type: 'error', batch: message.type === 'batch' ? message.batch : -1, message: (err as Error)?.stack ?? String(err) }
    parentPort!.postMessage(reply)
  }
})
