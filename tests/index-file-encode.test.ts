/**
 * The index file is packed straight into its own buffer (codec/index-file.ts, `packInto`): the
 * bytes are those a plain msgpack encoder gives, and a file handed out is never written over by
 * a later encode (msgpackr's write buffer is shared by every Packr).
 */
import { describe, it, expect, vi, afterEach } from 'vitest'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Packr } from 'msgpackr'
import { SearchEngine } from '../src/index.js'
import { sampleArticles } from './robustness/helpers/common.js'

const PREFIX = 12
const CRC = 4

function engineOfSample(): SearchEngine {
  const e = new SearchEngine()
  e.addAll(sampleArticles())
  return e
}

describe('encoding an index file', () => {
  it('writes the header and body a plain msgpack encoder writes, then the CRC', () => {
    const bytes = engineOfSample().toBytes()
    const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true)
    const packr = new Packr({ useRecords: false, moreTypes: false })
    const header = bytes.subarray(PREFIX, PREFIX + headerLength)
    const body = bytes.subarray(PREFIX + headerLength, bytes.length - CRC)
    expect(Buffer.from(packr.pack(packr.unpack(header)))).toEqual(Buffer.from(header))
    expect(Buffer.from(packr.pack(packr.unpack(body)))).toEqual(Buffer.from(body))
    // The view is the file: no slack of the buffer it was packed into shows through it.
    expect(bytes.length).toBe(PREFIX + headerLength + body.length + CRC)
    expect(SearchEngine.fromBytes(bytes).search('雷锋').total).toBeGreaterThan(0)
  })

  it('leaves every file already handed out as it was when more is encoded', () => {
    const e = engineOfSample()
    const files: { bytes: Uint8Array; kept: Uint8Array }[] = []
    const handOut = () => {
      const bytes = e.toBytes()
      files.push({ bytes, kept: Uint8Array.from(bytes) })
    }
    handOut()
    // Files of eight sizes (so their ends fall on every byte of an 8-byte word, as msgpackr aligns
    // its next write), each followed by other msgpack encodes.
    for (let i = 0; i < 8; i++) {
      e.add({ id: `later-${i}`, title: '宇宙飞船发射成功', body: `宇宙飞船顺利进入预定轨道${'。'.repeat(i)}` })
      handOut()
      new Packr().pack({ other: 'x'.repeat(100 * i) })
    }
    for (const { bytes, kept } of files) expect(Buffer.from(bytes)).toEqual(Buffer.from(kept))
    expect(SearchEngine.fromBytes(files[0]!.bytes).search('宇宙飞船').total).toBe(0)
    expect(SearchEngine.fromBytes(files.at(-1)!.bytes).search('宇宙飞船').total).toBe(8)
  })

  describe('save()', () => {
    afterEach(() => vi.restoreAllMocks())

    it('encodes into the buffer of the last finished save; each file holds its own state', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'jiansuo-spare-'))
      try {
        const e = engineOfSample()
        await e.save(join(dir, 'a.jsz'))
        const allocated = vi.spyOn(Buffer, 'allocUnsafeSlow')
        e.add({ id: 'ship', title: '宇宙飞船发射成功', body: '宇宙飞船顺利进入预定轨道。' })
        await e.save(join(dir, 'b.jsz'))
        // No file-sized buffer allocated for the second save (msgpackr's 8 KiB one aside).
        expect(allocated.mock.calls.filter(([size]) => size > 64 * 1024)).toEqual([])
        const a = SearchEngine.fromBytes(readFileSync(join(dir, 'a.jsz')))
        const b = SearchEngine.fromBytes(readFileSync(join(dir, 'b.jsz')))
        expect(a.search('宇宙飞船').total).toBe(0)
        expect(b.search('宇宙飞船').total).toBe(1)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })

    it('saves called before the last write finished each get a buffer of their own', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'jiansuo-spare-'))
      try {
        const e = engineOfSample()
        await e.save(join(dir, 'warm.jsz'))
        const saves: Promise<void>[] = []
        for (let i = 0; i < 4; i++) {
          e.add({ id: `ship-${i}`, title: '宇宙飞船发射成功', body: '宇宙飞船顺利进入预定轨道。' })
          saves.push(e.save(join(dir, `s${i}.jsz`)))
        }
        await Promise.all(saves)
        for (let i = 0; i < 4; i++) expect(SearchEngine.fromBytes(readFileSync(join(dir, `s${i}.jsz`))).search('宇宙飞船').total).toBe(i + 1)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })
  })
})
