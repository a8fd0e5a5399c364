/**
 * load() opens only regular files and looks at the magic before reading a file whole (hardening
 * issue row 12): a FIFO used to hang forever, /dev/zero ran V8 out of memory, and a huge
 * non-index file was read whole before NOT_AN_INDEX.
 */
import { describe, it, expect, afterAll } from 'vitest'
import { execFileSync } from 'node:child_process'
import { closeSync, openSync, ftruncateSync } from 'node:fs'
import { join } from 'node:path'
import { SearchEngine } from '../../src/index.js'
import { cleanupScratch, scratchDir, thrownAsync } from './helpers/common.js'

afterAll(() => cleanupScratch())

/** Resolves to 'pending' when the call has not settled within `ms` (so a hang fails, not times out). */
function within<T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> {
  return Promise.race([promise, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms).unref())])
}

describe('load() of paths that are not index files', () => {
  it('a FIFO is IO_ERROR at once (no wait for a writer)', async () => {
    const fifo = join(scratchDir('fifo'), 'pipe.jsz')
    execFileSync('mkfifo', [fifo])
    expect(await within(thrownAsync(() => SearchEngine.load(fifo)), 5_000)).toBe('IO_ERROR')
  })

  it('/dev/zero is IO_ERROR (a device), without reading it', async () => {
    const before = process.memoryUsage().rss
    expect(await within(thrownAsync(() => SearchEngine.load('/dev/zero')), 5_000)).toBe('IO_ERROR')
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024)
  })

  it('a 3 GB sparse non-index file is NOT_AN_INDEX without being read whole', async () => {
    const path = join(scratchDir('big'), 'video.jsz')
    const fd = openSync(path, 'w')
    ftruncateSync(fd, 3 * 1024 ** 3)
    closeSync(fd)
    const before = process.memoryUsage().rss
    expect(await thrownAsync(() => SearchEngine.load(path))).toBe('NOT_AN_INDEX')
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024)
  })
})
