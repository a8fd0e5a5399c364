/**
 * Child process for workers.test.ts: a parallel build that fails mid-way, then a second build on
 * the same engine. It runs in its own process because a worker terminated inside nodejieba's
 * native code aborts the whole process (SIGABRT), which would take the test runner with it.
 *
 *   node --import tsx tests/robustness/helpers/failed-build.ts <progress | here>
 *
 * progress: the engine's onProgress throws (so onResult throws while the workers have batches
 *           in flight), first at document 1 (workers still loading their dictionaries), then
 *           at document 1000 (both busy);
 * here:     the calling thread's own batch throws (its analyzer is patched to fail), first at
 *           its first analysis, then in its third batch.
 *
 * Counts Worker#terminate calls (there must be none: whether one aborts depends on where the
 * worker happens to be). Prints one JSON line (see `report` below), then lets the process end by
 * itself: idle pooled workers must not keep it alive, and no worker may be left working.
 */
import { Worker } from 'node:worker_threads'
import * as pool from '../../../src/index/parallel-build.js'
import { SearchEngine } from '../../../src/index.js'
import { sampleArticles, syntheticDocs } from './common.js'

const scenario = process.argv[2]
if (scenario !== 'progress' && scenario !== 'here') throw new Error('usage: failed-build.ts <progress | here>')

let terminateCalls = 0
const terminate = Worker.prototype.terminate
Worker.prototype.terminate = function (this: Worker) {
  terminateCalls++
  return terminate.call(this)
}

// 2,000 documents of real newspaper text: enough batches that every worker has some in flight.
const docs = syntheticDocs(2000)
const workers = 2
const engine = new SearchEngine()
engine.addAll(sampleArticles())
const before = Buffer.from(engine.toBytes())

/**
 * One failing build: `at` is the onProgress document (progress) or the analyzeTerms call of this
 * thread (here) that throws. Reports what the caller saw and what was left behind.
 */
async function failAt(at: number) {
  const thrown = new Error(`${scenario} failed at ${at}`)
  let progressCalls = 0
  const analyzer = engine.analyzer as unknown as { analyzeTerms: (text: string) => unknown }
  const original = analyzer.analyzeTerms
  if (scenario === 'here') {
    let calls = 0
    analyzer.analyzeTerms = function (this: unknown, text: string) {
      if (++calls === at) throw thrown
      return original.call(this, text)
    }
  }
  const failed = await engine
    .addAllParallel(docs, {
      workers,
      progressEvery: 1,
      onProgress: (i) => {
        progressCalls++
        if (scenario === 'progress' && i === at) throw thrown
      },
    })
    .then(
      () => 'resolved',
      (err: unknown) => err,
    )
  analyzer.analyzeTerms = original
  const atFailure = progressCalls
  const pooled = pool.workerPoolSize?.() ?? null
  const unchanged = Buffer.from(engine.toBytes()).equals(before) && engine.size === sampleArticles().length
  // Give results still arriving for the failed build (if it had not waited for them) a chance to show.
  await new Promise((resolve) => setImmediate(resolve))
  return {
    sameError: failed === thrown,
    error: failed instanceof Error ? failed.message : String(failed),
    progressCalls: atFailure,
    lateProgressCalls: () => progressCalls - atFailure,
    unchanged,
    pooled,
  }
}

// First while the workers are still starting (loading dictionaries), then with both warm and busy.
const rounds = [await failAt(1), await failAt(scenario === 'progress' ? 1000 : 300)]

// The pool must serve the next build at once, and the result must equal a serial build's.
const count = await engine.addAllParallel(docs, { workers, onProgress: () => {} })
const serial = new SearchEngine()
serial.addAll(sampleArticles())
serial.addAll(docs)
const report = {
  rounds: rounds.map((round) => ({ ...round, lateProgressCalls: round.lateProgressCalls() })),
  secondCount: count,
  secondEqualsSerial: Buffer.from(engine.toBytes()).equals(Buffer.from(serial.toBytes())),
  afterSecond: pool.workerPoolSize?.() ?? null,
  terminateCalls,
  hits: engine.search('雷锋精神').total === serial.search('雷锋精神').total,
}
process.stdout.write(`${JSON.stringify(report)}\n`)
