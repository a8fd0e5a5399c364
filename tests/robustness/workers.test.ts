/**
 * Build workers that cannot kill the host: a failing parallel build rejects with its own error,
 * leaves the index as it was and the pool ready for the next build (no worker is terminated
 * while it may be inside nodejieba's native code, which aborts the process); the worker count is
 * validated and bounded.
 */
import { describe, it, expect } from 'vitest'
import { spawnSync } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { SearchEngine, JiansuoError } from '../../src/index.js'
import { checkWorkerCount, warmWorkers, workerPoolSize } from '../../src/index/parallel-build.js'
import { ROOT, sampleArticles, syntheticDocs, thrownAsync } from './helpers/common.js'

const MAX = availableParallelism() * 2

/** Run the failing-build scenario in a child process (an abort there must not end this runner). */
function failedBuild(scenario: 'progress' | 'here') {
  const helper = join(ROOT, 'tests/robustness/helpers/failed-build.ts')
  const child = spawnSync(process.execPath, ['--import', 'tsx', helper, scenario], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 })
  const line = child.stdout.trim().split('\n').pop() ?? ''
  return { status: child.status, signal: child.signal, stderr: child.stderr.slice(-2000), report: line.startsWith('{') ? JSON.parse(line) : line }
}

/** What each failing build must leave: its own error, the index unchanged, both workers pooled. */
const round = (error: string, progressCalls: unknown) => ({
  sameError: true, // the thrown Error itself, not a wrapper
  error,
  progressCalls, // nothing delivered after the failure…
  lateProgressCalls: 0, // …nor later, when the remaining results arrive
  unchanged: true,
  pooled: { live: 2, idle: 2 }, // both workers finished their batches and went back to the pool
})
const afterwards = {
  secondCount: 2000,
  secondEqualsSerial: true, // the next build on the same engine equals addAll in a fresh one
  afterSecond: { live: 2, idle: 2 }, // and it reused the pooled workers, starting none
  terminateCalls: 0, // a worker is never terminated from outside (inside nodejieba, that aborts)
  hits: true,
}

describe('a parallel build that fails', () => {
  it('rejects with the onProgress error, keeps the index and the pool, and the next build equals addAll', () => {
    const run = failedBuild('progress')
    expect({ status: run.status, signal: run.signal }, run.stderr).toEqual({ status: 0, signal: null })
    expect(run.report).toEqual({ rounds: [round('progress failed at 1', 1), round('progress failed at 1000', 1000)], ...afterwards })
  })

  it('rejects with the error of the calling thread’s own batch, the same way', () => {
    const run = failedBuild('here')
    expect({ status: run.status, signal: run.signal }, run.stderr).toEqual({ status: 0, signal: null })
    // How many documents the workers delivered before this thread failed depends on timing.
    expect(run.report).toEqual({ rounds: [round('here failed at 1', expect.any(Number)), round('here failed at 300', expect.any(Number))], ...afterwards })
  })
})

describe('the workers option', () => {
  const bad: unknown[] = ['2', NaN, -1, 1.5, Infinity, MAX + 1, null, {}]

  it('checkWorkerCount accepts integers from 0 to twice the CPU count', () => {
    expect(checkWorkerCount(0)).toBe(0)
    expect(checkWorkerCount(1)).toBe(1)
    expect(checkWorkerCount(MAX)).toBe(MAX)
    for (const value of bad) {
      let error: unknown
      try {
        checkWorkerCount(value)
      } catch (err) {
        error = err
      }
      expect(error, String(value)).toBeInstanceOf(JiansuoError)
      expect((error as JiansuoError).code).toBe('INVALID_OPTION')
      expect((error as JiansuoError).message).toContain(`0 to ${MAX}`)
    }
    expect(() => checkWorkerCount('2')).toThrow('"2"')
    expect(() => checkWorkerCount(NaN)).toThrow('NaN')
  })

  it('addAllParallel and warmWorkers reject a bad count before doing anything, and take 0 and 1', async () => {
    const engine = new SearchEngine()
    for (const workers of bad) {
      // A small batch: before the check, addAllParallel took it serially and ignored the option.
      expect(await thrownAsync(() => engine.addAllParallel(sampleArticles(), { workers: workers as number })), String(workers)).toBe('INVALID_OPTION')
      expect(await thrownAsync(() => engine.warmWorkers({ workers: workers as number })), String(workers)).toBe('INVALID_OPTION')
    }
    expect(engine.size).toBe(0)
    // 0 and 1 are fine, and build what addAll builds.
    const docs = syntheticDocs(300)
    const serial = new SearchEngine()
    serial.addAll(docs)
    for (const workers of [0, 1]) {
      const parallel = new SearchEngine()
      await parallel.warmWorkers({ workers })
      expect(await parallel.addAllParallel(docs, { workers })).toBe(300)
      expect(Buffer.from(parallel.toBytes()).equals(Buffer.from(serial.toBytes())), `workers: ${workers}`).toBe(true)
    }
  })

  it('never keeps more than twice the CPU count of workers alive, even with builds side by side', async () => {
    // Two warm-ups at once, each asking for the maximum: the second finds no room and starts none.
    await Promise.all([warmWorkers(MAX, 'nodejieba'), warmWorkers(MAX, 'nodejieba')])
    expect(workerPoolSize()).toEqual({ live: MAX, idle: MAX })
    const docs = syntheticDocs(300)
    const serial = new SearchEngine()
    serial.addAll(docs)
    const a = new SearchEngine()
    const b = new SearchEngine()
    await Promise.all([a.addAllParallel(docs, { workers: MAX }), b.addAllParallel(docs, { workers: MAX })])
    expect(workerPoolSize()).toEqual({ live: MAX, idle: MAX })
    expect(Buffer.from(a.toBytes()).equals(Buffer.from(serial.toBytes()))).toBe(true)
    expect(Buffer.from(b.toBytes()).equals(Buffer.from(serial.toBytes()))).toBe(true)
  })
})
