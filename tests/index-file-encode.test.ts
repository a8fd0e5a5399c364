/**
 * The index file is packed straight into its own buffer (codec/index-file.ts, `packInto`): the
 * bytes are those a plain msgpack encoder gives, and a file handed out is never written over by
 * a later encode (msgpackr's write buffer is shared by every Packr).
 */
import { describe, it, expect } from 'vitest'
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
})
