/**
 * Index files: every damaged, foreign, too old or too new file is refused with the right code and
 * never loads; saving is atomic even when the process is killed mid-save.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import fc from 'fast-check'
import { spawn, spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { pathToFileURL } from 'node:url'
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { FORMAT_VERSION, MIN_FORMAT_VERSION, SearchEngine, type SearchResult } from '../../src/index.js'
import { ROOT, caught, cleanupScratch, sampleArticles, scratchDir, thrown, thrownAsync } from './helpers/common.js'

let engine: SearchEngine
let bytes: Uint8Array

beforeAll(() => {
  engine = new SearchEngine()
  engine.addAll(sampleArticles())
  bytes = engine.toBytes()
})

afterAll(() => cleanupScratch())

function comparable(result: SearchResult): unknown {
  return { total: result.total, hits: result.hits }
}

/** A copy of `source` with the format version replaced and the checksum made valid again. */
function withVersion(source: Uint8Array, version: number): Uint8Array {
  const out = Uint8Array.from(source)
  const view = new DataView(out.buffer)
  view.setUint16(4, version, true)
  view.setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)) >>> 0, true)
  return out
}

function fixChecksum(b: Uint8Array): Uint8Array {
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(b.length - 4, crc32(b.subarray(0, b.length - 4)) >>> 0, true)
  return b
}

/** Temp files writeFileAtomic leaves behind when killed: `.<name>.<pid>.<8 hex>.tmp`. */
function isTempOf(entry: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`^\\.${escaped}\\.\\d+\\.[0-9a-f]{8}\\.tmp$`).test(entry)
}

describe('the sample index', () => {
  it('round-trips through toBytes / fromBytes and save / load', async () => {
    const loaded = SearchEngine.fromBytes(bytes)
    for (const q of ['雷锋', '专利', '"文明行为促进条例"', '企业 服务']) expect(comparable(loaded.search(q))).toEqual(comparable(engine.search(q)))
    const path = join(scratchDir('roundtrip'), 'index.jsz')
    await engine.save(path)
    expect(new Uint8Array(readFileSync(path))).toEqual(bytes)
    expect(comparable((await SearchEngine.load(path)).search('雷锋'))).toEqual(comparable(engine.search('雷锋')))
  })
})

describe('truncated files never load', () => {
  it('every truncation length is NOT_AN_INDEX (inside the magic) or INDEX_CORRUPT', () => {
    const n = bytes.length
    // All lengths when affordable; otherwise all short ones, every k-th, and the last 64.
    const step = n <= 200_000 ? 1 : Math.ceil(n / 50_000)
    const lengths = new Set<number>()
    for (let len = 0; len < n; len += step) lengths.add(len)
    for (let len = 0; len < Math.min(64, n); len++) lengths.add(len)
    for (let len = Math.max(0, n - 64); len < n; len++) lengths.add(len)
    const wrong: string[] = []
    for (const len of lengths) {
      const code = thrown(() => SearchEngine.fromBytes(bytes.subarray(0, len)))
      const ok = len < 4 ? code === 'NOT_AN_INDEX' || code === 'INDEX_CORRUPT' : code === 'INDEX_CORRUPT'
      if (!ok) wrong.push(`length ${len}: ${code ?? 'loaded'}`)
    }
    expect(wrong.slice(0, 20)).toEqual([])
    expect(lengths.size).toBeGreaterThanOrEqual(Math.min(n, 50_000))
  })

  it('truncated files on disk give the same codes through load()', async () => {
    const dir = scratchDir('truncated')
    for (const len of [0, 1, 3, 4, 11, 12, 15, 16, 100, Math.floor(bytes.length / 2), bytes.length - 4, bytes.length - 1]) {
      const path = join(dir, `t${len}.jsz`)
      writeFileSync(path, bytes.subarray(0, len))
      const code = await thrownAsync(() => SearchEngine.load(path))
      expect(code, `length ${len}`).toBe(len < 4 ? 'NOT_AN_INDEX' : 'INDEX_CORRUPT')
    }
  })

  it('extra bytes appended after a complete file are INDEX_CORRUPT', () => {
    for (const extra of [[0], [0, 0, 0, 0], Array.from(bytes.subarray(0, 16))]) {
      const longer = new Uint8Array(bytes.length + extra.length)
      longer.set(bytes)
      longer.set(extra, bytes.length)
      expect(thrown(() => SearchEngine.fromBytes(longer))).toBe('INDEX_CORRUPT')
    }
  })
})

describe('damaged files never load', () => {
  it('a flip of any single byte is INDEX_CORRUPT (NOT_AN_INDEX in the magic)', () => {
    const b = Uint8Array.from(bytes)
    const wrong: string[] = []
    for (let at = 0; at < b.length; at++) {
      const original = b[at]!
      b[at] = original ^ 0x01
      const code = thrown(() => SearchEngine.fromBytes(b))
      b[at] = original
      if (code !== (at < 4 ? 'NOT_AN_INDEX' : 'INDEX_CORRUPT')) wrong.push(`byte ${at}: ${code ?? 'loaded'}`)
    }
    expect(wrong.slice(0, 20)).toEqual([])
  })

  it('random single-byte changes are INDEX_CORRUPT (NOT_AN_INDEX in the magic)', () => {
    fc.assert(
      fc.property(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const b = Uint8Array.from(bytes)
        b[at] = b[at]! ^ xor
        expect(thrown(() => SearchEngine.fromBytes(b))).toBe(at < 4 ? 'NOT_AN_INDEX' : 'INDEX_CORRUPT')
      }),
      { numRuns: 200, seed: 1337 },
    )
  })

  it('changes with a recomputed checksum are refused with a JiansuoError, or load and search without crashing', () => {
    // Not detectable by the checksum (a buggy writer, or a crafted file): decoding must still fail
    // cleanly (INDEX_CORRUPT, not INVALID_OPTION or a TypeError), and whatever loads must be searchable.
    const small = new SearchEngine()
    small.addAll(sampleArticles().slice(0, 4))
    const base = small.toBytes()
    const acceptable = ['INDEX_CORRUPT', 'ANALYZER_MISMATCH', 'FORMAT_TOO_OLD', 'FORMAT_TOO_NEW']
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.integer({ min: 4, max: base.length - 5 }), xor: fc.integer({ min: 1, max: 255 }) }), { minLength: 1, maxLength: 3 }),
        (changes) => {
          const b = Uint8Array.from(base)
          for (const { at, xor } of changes) b[at] = b[at]! ^ xor
          fixChecksum(b)
          let loaded: SearchEngine | undefined
          const code = thrown(() => (loaded = SearchEngine.fromBytes(b)))
          if (code !== undefined) {
            expect(acceptable).toContain(code)
            return
          }
          // Parts decoded lazily may report the damage when first used, as INDEX_CORRUPT.
          for (const q of ['雷锋', '精神 文明', '"雷锋精神"', '企业 -服务', 'title:雷锋']) {
            expect([undefined, 'INDEX_CORRUPT']).toContain(thrown(() => loaded!.search(q, { limit: 100 })))
          }
          expect([undefined, 'INDEX_CORRUPT']).toContain(thrown(() => loaded!.toBytes()))
        },
      ),
      { numRuns: 400, seed: 4242 },
    )
  })
})

describe('files that are not indexes', () => {
  it('a zero-length file is NOT_AN_INDEX', async () => {
    const path = join(scratchDir('empty'), 'empty.jsz')
    writeFileSync(path, '')
    expect(await thrownAsync(() => SearchEngine.load(path))).toBe('NOT_AN_INDEX')
    expect(thrown(() => SearchEngine.fromBytes(new Uint8Array(0)))).toBe('NOT_AN_INDEX')
  })

  it('a directory is IO_ERROR, and the message says it is a directory', async () => {
    const dir = scratchDir('dir')
    expect(await thrownAsync(() => SearchEngine.load(dir))).toBe('IO_ERROR')
    const err = await SearchEngine.load(dir).catch((e: unknown) => e as Error)
    expect((err as Error).message).toMatch(/directory|EISDIR/)
  })

  it('a missing file is IO_ERROR', async () => {
    expect(await thrownAsync(() => SearchEngine.load(join(scratchDir('missing'), 'nope.jsz')))).toBe('IO_ERROR')
  })

  const foreign: [string, () => string | Uint8Array][] = [
    ['a JSON file', () => JSON.stringify({ ids: ['a'], postings: {} })],
    ['a JSON export of the engine', () => JSON.stringify({ magic: 'JSUO', version: FORMAT_VERSION })],
    ['a text file', () => '弘扬雷锋精神\n'],
    ['a PNG header', () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0])],
    ['a gzip stream', () => Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0])],
    ['an index with lowercase magic', () => Buffer.concat([Buffer.from('jsuo'), bytes.subarray(4)])],
  ]
  it.each(foreign)('%s is NOT_AN_INDEX', async (_, content) => {
    const path = join(scratchDir('foreign'), 'file.jsz')
    writeFileSync(path, content())
    expect(await thrownAsync(() => SearchEngine.load(path))).toBe('NOT_AN_INDEX')
  })

  it('fromBytes() of something that is not a Uint8Array is NOT_AN_INDEX', () => {
    for (const value of [undefined, null, 'JSUO', 42, Array.from(bytes.subarray(0, 64)), {}]) {
      expect(thrown(() => SearchEngine.fromBytes(value as never))).toBe('NOT_AN_INDEX')
    }
  })

  it('a Buffer and a Uint8Array view at an offset both load', () => {
    expect(SearchEngine.fromBytes(Buffer.from(bytes)).size).toBe(engine.size)
    const padded = new Uint8Array(bytes.length + 7)
    padded.set(bytes, 7)
    expect(SearchEngine.fromBytes(padded.subarray(7)).size).toBe(engine.size)
  })
})

describe('format versions', () => {
  it('a newer format version with a valid checksum is FORMAT_TOO_NEW', () => {
    for (const version of [FORMAT_VERSION + 1, 0x7fff, 0xffff]) {
      const err = caught(() => SearchEngine.fromBytes(withVersion(bytes, version)))
      expect(err.code).toBe('FORMAT_TOO_NEW')
      expect(err.message).toContain(String(version))
    }
  })

  it('format version 0 with a valid checksum is FORMAT_TOO_OLD', () => {
    expect(MIN_FORMAT_VERSION).toBeGreaterThan(0)
    const err = caught(() => SearchEngine.fromBytes(withVersion(bytes, 0)))
    expect(err.code).toBe('FORMAT_TOO_OLD')
    expect(err.message).toContain('0')
  })

  it('a patched version without a fixed checksum is INDEX_CORRUPT (the checksum is checked first)', () => {
    const b = Uint8Array.from(bytes)
    new DataView(b.buffer).setUint16(4, FORMAT_VERSION + 1, true)
    expect(thrown(() => SearchEngine.fromBytes(b))).toBe('INDEX_CORRUPT')
  })

  it('too new / too old are reported through load() as well', async () => {
    const dir = scratchDir('versions')
    writeFileSync(join(dir, 'new.jsz'), withVersion(bytes, FORMAT_VERSION + 1))
    writeFileSync(join(dir, 'old.jsz'), withVersion(bytes, 0))
    expect(await thrownAsync(() => SearchEngine.load(join(dir, 'new.jsz')))).toBe('FORMAT_TOO_NEW')
    expect(await thrownAsync(() => SearchEngine.load(join(dir, 'old.jsz')))).toBe('FORMAT_TOO_OLD')
  })
})

describe('analyzer mismatch', () => {
  const different: [string, Parameters<typeof SearchEngine.fromBytes>[1], string][] = [
    ['userWords', { analyzer: { userWords: ['雷锋精神'] } }, 'userWords'],
    ['traditionalToSimplified: false', { analyzer: { traditionalToSimplified: false } }, 'traditionalToSimplified'],
    ['no stopwords', { analyzer: { stopwords: [] } }, 'stopwords'],
    [
      'another segmenter',
      {
        analyzer: {
          segmenter: { name: 'fake', version: '1', dictionaryHash: 'x', cut: (t: string) => [...t], cutForSearch: (t: string) => [...t] },
        },
      },
      'segmenter',
    ],
  ]

  it.each(different)('%s is ANALYZER_MISMATCH, with details naming what differs', async (_, options, key) => {
    const err = caught(() => SearchEngine.fromBytes(bytes, options))
    expect(err.code).toBe('ANALYZER_MISMATCH')
    expect(err.message).toContain(key)
    const differences = err.details?.differences as string[] | undefined
    expect(Array.isArray(differences)).toBe(true)
    expect(differences!.some((d) => d.startsWith(key))).toBe(true)
    const path = join(scratchDir('mismatch'), 'index.jsz')
    writeFileSync(path, bytes)
    expect(await thrownAsync(() => SearchEngine.load(path, options))).toBe('ANALYZER_MISMATCH')
  })

  it('the same analyzer options, given explicitly, load', () => {
    const loaded = SearchEngine.fromBytes(bytes, { analyzer: { traditionalToSimplified: true, userWords: [] } })
    expect(comparable(loaded.search('雷锋'))).toEqual(comparable(engine.search('雷锋')))
  })

  it('an index built with user words loads without options and keeps them', () => {
    const custom = new SearchEngine({ analyzer: { userWords: ['雷锋精神'] } })
    custom.addAll(sampleArticles().slice(2, 4))
    const loaded = SearchEngine.fromBytes(custom.toBytes())
    expect(loaded.options.analyzer.userWords).toEqual(['雷锋精神'])
    expect(comparable(loaded.search('雷锋精神'))).toEqual(comparable(custom.search('雷锋精神')))
    expect(thrown(() => SearchEngine.fromBytes(custom.toBytes(), { analyzer: { userWords: [] } }))).toBe('ANALYZER_MISMATCH')
  })
})

describe('atomic save', () => {
  /** Can chmod make a folder unwritable for us? Not when running as root. */
  function chmodProtects(): boolean {
    const dir = scratchDir('probe')
    chmodSync(dir, 0o555)
    try {
      writeFileSync(join(dir, 'probe'), 'x')
      return false
    } catch {
      return true
    } finally {
      chmodSync(dir, 0o755)
    }
  }
  const readOnlyWorks = chmodProtects()

  it('into a folder that does not exist: IO_ERROR, nothing created', async () => {
    const dir = scratchDir('nodir')
    const path = join(dir, 'missing', 'index.jsz')
    expect(await thrownAsync(() => engine.save(path))).toBe('IO_ERROR')
    expect(readdirSync(dir)).toEqual([])
  })

  it('under a regular file (ENOTDIR): IO_ERROR, the file untouched', async () => {
    const dir = scratchDir('notdir')
    const file = join(dir, 'file.txt')
    writeFileSync(file, 'previous')
    expect(await thrownAsync(() => engine.save(join(file, 'sub', 'index.jsz')))).toBe('IO_ERROR')
    expect(await thrownAsync(() => engine.save(join(file, 'index.jsz')))).toBe('IO_ERROR')
    expect(readFileSync(file, 'utf8')).toBe('previous')
    expect(readdirSync(dir)).toEqual(['file.txt'])
  })

  it('into a read-only folder: IO_ERROR, the previous file untouched', async () => {
    const dir = scratchDir('readonly')
    const path = join(dir, 'index.jsz')
    const previous = new SearchEngine()
    previous.add({ id: 'old', body: '旧版本' })
    await previous.save(path)
    const before = readFileSync(path)
    chmodSync(dir, 0o555)
    try {
      if (readOnlyWorks) expect(await thrownAsync(() => engine.save(path))).toBe('IO_ERROR')
      else {
        // Root ignores folder permissions (CI runs as root): save from a child running as nobody,
        // through the built package (the project folder is world-readable, the folder r-x).
        const dist = pathToFileURL(join(ROOT, 'dist/index.js')).href
        const script = `import { SearchEngine } from ${JSON.stringify(dist)}
          const e = new SearchEngine(); e.add({ id: 'new', body: '新版本' })
          try { await e.save(${JSON.stringify(path)}); console.log('saved') } catch (err) { console.log(err.code ?? String(err)) }`
        const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { uid: 65534, gid: 65534, cwd: tmpdir(), encoding: 'utf8', timeout: 60_000 })
        expect(child.stdout.trim(), child.stderr).toBe('IO_ERROR')
      }
    } finally {
      chmodSync(dir, 0o755)
    }
    expect(readFileSync(path)).toEqual(before)
    expect(readdirSync(dir)).toEqual(['index.jsz'])
  })

  it('when the temporary file cannot be created (name too long): IO_ERROR, the previous file untouched', async () => {
    // Works as root too: the target name fits (250 bytes) but its temporary sibling does not.
    const dir = scratchDir('longname')
    const name = `${'i'.repeat(246)}.jsz`
    const path = join(dir, name)
    writeFileSync(path, 'previous')
    const err = await engine.save(path).catch((e: unknown) => e as Error)
    expect(thrown(() => {
      throw err
    })).toBe('IO_ERROR')
    expect(readFileSync(path, 'utf8')).toBe('previous')
    expect(readdirSync(dir)).toEqual([name])
  })

  it('over an existing folder: IO_ERROR, no temporary file left behind', async () => {
    const dir = scratchDir('overdir')
    const path = join(dir, 'index.jsz')
    mkdirSync(path)
    writeFileSync(join(path, 'keep.txt'), 'x')
    expect(await thrownAsync(() => engine.save(path))).toBe('IO_ERROR')
    expect(readdirSync(dir)).toEqual(['index.jsz'])
    expect(statSync(path).isDirectory()).toBe(true)
  })

  it('over an existing index: replaced, no temporary file left behind', async () => {
    const dir = scratchDir('replace')
    const path = join(dir, 'index.jsz')
    const previous = new SearchEngine()
    previous.add({ id: 'old', body: '旧版本' })
    await previous.save(path)
    await engine.save(path)
    expect(readdirSync(dir)).toEqual(['index.jsz'])
    expect((await SearchEngine.load(path)).ids()).toEqual(engine.ids())
  })

  it('two saves racing on one path leave one of the two complete versions', async () => {
    const dir = scratchDir('race')
    const path = join(dir, 'index.jsz')
    const other = new SearchEngine()
    other.addAll(sampleArticles().slice(0, 3))
    for (let round = 0; round < 5; round++) {
      await Promise.all([engine.save(path), other.save(path), engine.save(path), other.save(path)])
      const loaded = await SearchEngine.load(path)
      expect([engine.size, other.size]).toContain(loaded.size)
      expect(readdirSync(dir)).toEqual(['index.jsz'])
    }
  })

  it(
    'a process killed with SIGKILL mid-save leaves the previous or the new complete file, never a partial one',
    { timeout: 170_000 },
    async () => {
      const dir = scratchDir('kill')
      const seedDir = scratchDir('kill-seed')
      const target = join(dir, 'index.jsz')
      const seed = join(seedDir, 'seed.jsz')
      const helper = join(ROOT, 'tests/robustness/helpers/save-loop.ts')
      let random = 0x2f6b4a1d // fixed-seed LCG for the kill delays
      const nextDelay = () => {
        random = (Math.imul(random, 1664525) + 1013904223) >>> 0
        return 150 + (random % 1500)
      }
      let expectedTotal: number | undefined
      const rounds = 5
      for (let round = 0; round < rounds; round++) {
        const child = spawn(process.execPath, ['--import', 'tsx', helper, target, seed], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
        let out = ''
        let err = ''
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
        const closed = new Promise<void>((resolve) => child.on('close', () => resolve()))
        // Wait until this child has completed one save, then kill it at a random moment.
        const started = Date.now()
        while (!/saved \d+\n/.test(out)) {
          if (child.exitCode !== null || Date.now() - started > 120_000) throw new Error(`save-loop did not start: ${err}`)
          await new Promise((r) => setTimeout(r, 20))
        }
        await new Promise((r) => setTimeout(r, nextDelay()))
        child.kill('SIGKILL')
        await closed
        const saved = [...out.matchAll(/saved (\d+)\n/g)].map((m) => Number(m[1]))
        const last = Math.max(...saved)

        let loaded: SearchEngine | undefined
        const code = await thrownAsync(async () => (loaded = await SearchEngine.load(target)))
        expect(code, `round ${round}: the file after SIGKILL must load (last save reported: ${last})`).toBeUndefined()
        const generation = loaded!.get('generation')?.generation
        expect([last, last + 1], `round ${round}`).toContain(generation)
        expect(loaded!.size).toBe(3001)
        expectedTotal ??= (await SearchEngine.load(seed)).search('雷锋', { limit: 0 }).total
        expect(expectedTotal).toBeGreaterThan(0)
        expect(loaded!.search('雷锋', { limit: 0 }).total).toBe(expectedTotal)
        expect(loaded!.search('generation').hits[0]?.id).toBe('generation')
        const garbage = readdirSync(dir).filter((e) => e !== 'index.jsz' && !isTempOf(e, 'index.jsz'))
        expect(garbage).toEqual([])
      }
      // Left-over temporary files are only ever whole or partial copies; remove them like a user would.
      for (const entry of readdirSync(dir)) if (entry !== 'index.jsz') rmSync(join(dir, entry))
    },
  )
})
