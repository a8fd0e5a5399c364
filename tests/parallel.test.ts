/** A parallel build must equal a single-threaded one, byte for byte. */
import { describe, it, expect, vi } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SearchEngine } from '../src/index.js'
import { idleBackgroundWorkers } from '../src/index/parallel-build.js'
import { sampleArticles } from './helpers.js'

// 300 documents: the sample articles repeated with new ids (the parallel path needs ≥ 256).
const docs = Array.from({ length: 300 }, (_, i) => {
  const a = sampleArticles()[i % 12]!
  return { ...a, id: `${a.id}-${i}`, body: `${String(a.body)}${i}` }
})

describe('addAllParallel', () => {
  it('builds the same index file as addAll', async () => {
    const single = new SearchEngine()
    single.addAll(docs)
    const parallel = new SearchEngine()
    expect(await parallel.addAllParallel(docs, { workers: 2 })).toBe(300)
    expect(Buffer.from(parallel.toBytes()).equals(Buffer.from(single.toBytes()))).toBe(true)
    expect(parallel.search('雷锋精神', { limit: 20 })).toEqual({ ...single.search('雷锋精神', { limit: 20 }), took: expect.any(Number) })
  })

  it('is invisible to searches until it ends, then complete', async () => {
    const engine = new SearchEngine()
    engine.add({ id: 'first', title: '雷锋', body: '学雷锋' })
    const pending = engine.addAllParallel(docs, { workers: 2 })
    expect(engine.search('雷锋').total).toBe(1)
    await pending
    expect(engine.size).toBe(301)
    expect(engine.search('雷锋').total).toBe(1 + docs.filter((d) => String(d.body).includes('雷锋')).length)
  })

  it('equals addAll on an index that already holds documents (frozen and fresh)', async () => {
    const first = docs.slice(0, 40)
    const rest = docs.slice(40)
    const single = new SearchEngine()
    single.addAll(first)
    single.add({ id: 'loose', title: '学雷锋', body: '文明实践' })
    single.addAll(rest)
    const parallel = new SearchEngine()
    parallel.addAll(first)
    parallel.add({ id: 'loose', title: '学雷锋', body: '文明实践' })
    await parallel.addAllParallel(rest, { workers: 1 })
    expect(Buffer.from(parallel.toBytes()).equals(Buffer.from(single.toBytes()))).toBe(true)
  })

  it('background: the calling thread analyzes nothing, and the index is the same', async () => {
    const single = new SearchEngine()
    single.addAll(docs)
    const parallel = new SearchEngine()
    const analyzer = (parallel as unknown as { writer: { analyzer: { analyzeTerms: (text: string) => unknown } } }).writer.analyzer
    const here = vi.spyOn(analyzer, 'analyzeTerms')
    expect(await parallel.addAllParallel(docs, { workers: 1, background: true })).toBe(300)
    expect(here).not.toHaveBeenCalled()
    expect(Buffer.from(parallel.toBytes()).equals(Buffer.from(single.toBytes()))).toBe(true)
    // Without it, this thread takes batches too.
    const mixed = new SearchEngine()
    const mixedHere = vi.spyOn((mixed as unknown as { writer: { analyzer: { analyzeTerms: (text: string) => unknown } } }).writer.analyzer, 'analyzeTerms')
    await mixed.addAllParallel(docs, { workers: 1 })
    expect(mixedHere).toHaveBeenCalled()
  })

  it('background workers run at nice 10 (this thread stays at 0) and are pooled apart', async () => {
    const threads = () =>
      readdirSync('/proc/self/task').map((tid) => {
        // Fields after the command name: state is the 1st, nice the 17th.
        const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')
        return { tid: Number(tid), nice: Number(fields[16]) }
      })
    await new SearchEngine().addAllParallel(docs, { workers: 1, background: true })
    // The pooled background worker(s): the only threads of this process at nice 10.
    expect(threads().filter((t) => t.nice === 10).length).toBe(idleBackgroundWorkers())
    expect(threads().find((t) => t.tid === process.pid)!.nice).toBe(0)
    expect(idleBackgroundWorkers()).toBeGreaterThanOrEqual(1)
    // A normal build does not take the background worker.
    const idleBackground = idleBackgroundWorkers()
    await new SearchEngine().addAllParallel(docs, { workers: 1 })
    expect(idleBackgroundWorkers()).toBe(idleBackground)
  })

  it('background needs a worker: workers 0 is INVALID_OPTION', async () => {
    await expect(new SearchEngine().addAllParallel(docs, { workers: 0, background: true })).rejects.toMatchObject({ code: 'INVALID_OPTION', message: expect.stringMatching(/background.*at least one worker/) })
    await expect(new SearchEngine().addAllParallel(docs, { background: 'yes' as unknown as boolean })).rejects.toMatchObject({ code: 'INVALID_OPTION' })
  })

  it('works with zero extra workers (the calling thread alone) and after warmWorkers', async () => {
    const single = new SearchEngine()
    single.addAll(docs)
    const alone = new SearchEngine()
    await alone.addAllParallel(docs, { workers: 0 })
    expect(Buffer.from(alone.toBytes()).equals(Buffer.from(single.toBytes()))).toBe(true)
    const warmed = new SearchEngine()
    await warmed.warmWorkers({ workers: 2 })
    await warmed.addAllParallel(docs, { workers: 2 })
    expect(Buffer.from(warmed.toBytes()).equals(Buffer.from(single.toBytes()))).toBe(true)
  })

  it('leaves no worker keeping the process alive (built package)', () => {
    // The pool keeps idle workers for the next build; they must not hold the process open.
    const dist = new URL('../dist/index.js', import.meta.url).href
    const script = `
      const { SearchEngine } = await import(${JSON.stringify(dist)})
      const docs = Array.from({ length: 300 }, (_, i) => ({ id: 'd' + i, title: '雷锋精神 ' + i, body: '学雷锋 文明实践 志愿服务 ' + i }))
      const engine = new SearchEngine()
      await engine.warmWorkers({ workers: 2 })
      await engine.addAllParallel(docs, { workers: 2 })
      console.log(engine.search('雷锋').total)`
    const file = join(mkdtempSync(join(tmpdir(), 'jiansuo-pool-')), 'build.mjs')
    writeFileSync(file, script)
    const out = execFileSync(process.execPath, [file], { timeout: 60_000 })
    expect(out.toString().trim()).toBe('300')
  })
})
