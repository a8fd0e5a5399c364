/**
 * Structural fuzzing of the index file (hardening issue acceptance): a few hundred seeded mutations
 * of a valid index, each with the checksum recomputed so only the structural checks can notice.
 * Every mutant either fails to load with INDEX_CORRUPT, or answers: each search either reports
 * INDEX_CORRUPT or returns hits whose stored text really contains the query word — never a raw
 * error, a wrong document, a hang or a memory blow-up. Writes after loading obey the same rule.
 */
import { describe, it, expect, beforeAll } from 'vitest'
import { JiansuoError, SearchEngine } from '../../src/index.js'
import { sampleArticles } from './helpers/common.js'
import { mulberry32 as random } from '../../bench/lib/random.js'
import { assembleIndex, splitIndex, type IndexBody, type IndexParts } from './helpers/index-file.js'

const MUTANTS = 400
/** Words each of the sample's articles either contains or not; the phrase, and 锋精 (no term: found in the stored text). */
const QUERIES = ['雷锋', '专利', '企业', '文明', '志愿者', '上街区', '"文明行为促进条例"', '锋精']

let original: Uint8Array

beforeAll(() => {
  const engine = new SearchEngine()
  engine.addAll(sampleArticles())
  original = engine.toBytes()
})

type ByteParts = { name: string; get: (b: IndexBody) => Uint8Array; set: (b: IndexBody, v: Uint8Array) => void }

const BYTE_PARTS: ByteParts[] = [
  { name: 'ids.shared', get: (b) => b.ids.shared, set: (b, v) => (b.ids.shared = v) },
  { name: 'stored.offsets', get: (b) => b.stored.offsets, set: (b, v) => (b.stored.offsets = v) },
  { name: 'stored.bytes', get: (b) => b.stored.bytes, set: (b, v) => (b.stored.bytes = v) },
  { name: 'stored.dictionary', get: (b) => b.stored.dictionary, set: (b, v) => (b.stored.dictionary = v) },
  { name: 'lengths[0]', get: (b) => b.lengths[0]!, set: (b, v) => (b.lengths[0] = v) },
  { name: 'lengths[1]', get: (b) => b.lengths[1]!, set: (b, v) => (b.lengths[1] = v) },
  { name: 'postings.table', get: (b) => b.postings.table, set: (b, v) => (b.postings.table = v) },
  { name: 'postings.docs', get: (b) => b.postings.docs, set: (b, v) => (b.postings.docs = v) },
  { name: 'postings.freqs', get: (b) => b.postings.freqs, set: (b, v) => (b.postings.freqs = v) },
  { name: 'postings.pos', get: (b) => b.postings.pos, set: (b, v) => (b.postings.pos = v) },
]

/** One mutation of one part, chosen by `rand`; returns what it did (for the failure message). */
function mutate(parts: IndexParts, rand: () => number): string | Uint8Array {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
  const kind = Math.floor(rand() * 10)
  if (kind === 9) {
    // Raw msgpack body bytes: the container structure itself.
    const body = parts.bodyBytes.slice()
    const at = Math.floor(rand() * body.length)
    body[at] = Math.floor(rand() * 256)
    return body
  }
  if (kind === 8) {
    const b = parts.body
    if (rand() < 0.5) {
      const i = Math.floor(rand() * b.ids.suffixes.length)
      b.ids.suffixes[i] = pick(['', 'a01', b.ids.suffixes[i]! + 'x', '\u0000'])
      return `ids.suffixes[${i}]`
    }
    const terms = b.postings.terms
    const at = Math.floor(rand() * terms.length)
    b.postings.terms = terms.slice(0, at) + pick(['\n', '', '雷', 'z']) + terms.slice(at + 1)
    return `postings.terms at ${at}`
  }
  const part = pick(BYTE_PARTS)
  const bytes = part.get(parts.body).slice()
  if (bytes.length === 0) return `${part.name} (empty, untouched)`
  const at = Math.floor(rand() * bytes.length)
  const how = Math.floor(rand() * 5)
  let next = bytes
  if (how === 0) bytes[at] = bytes[at]! ^ (1 << Math.floor(rand() * 8))
  else if (how === 1) bytes[at] = Math.floor(rand() * 256)
  else if (how === 2) bytes[at] = (bytes[at]! + pick([1, -1, 2, 127])) & 0xff
  else if (how === 3) next = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + 1)])
  else next = Uint8Array.from([...bytes.subarray(0, at), Math.floor(rand() * 256), ...bytes.subarray(at)])
  part.set(parts.body, next)
  return `${part.name}: ${['bit flip', 'random byte', 'small change', 'byte deleted', 'byte inserted'][how]} at ${at}`
}

/** The stored text of a hit, as one string (title and body). */
function textOf(doc: Record<string, unknown>): string {
  return [doc.title, doc.body].filter((v) => typeof v === 'string').join('\n')
}

const bare = (q: string) => q.replace(/"/g, '')

/** What is wrong with the answers of `engine` (empty when every answer is allowed). */
function wrongAnswers(engine: SearchEngine): string[] {
  const wrong: string[] = []
  // Searches may only report damage; writes may also refuse with another typed error (a mutated
  // id table can make a04 unknown, so update() says NOT_FOUND).
  const attempt = (what: string, fn: () => void, anyTypedError = false) => {
    try {
      fn()
    } catch (err) {
      const allowed = err instanceof JiansuoError && (anyTypedError || err.code === 'INDEX_CORRUPT')
      if (!allowed) wrong.push(`${what}: ${(err as Error)?.name}: ${(err as Error)?.message}`)
    }
  }
  for (const q of QUERIES) {
    for (const options of [{}, { snippet: false as const }]) {
      attempt(`search ${q} ${JSON.stringify(options)}`, () => {
        for (const hit of engine.search(q, { ...options, limit: 20 }).hits) {
          if (hit.doc.id !== hit.id) wrong.push(`${q}: hit ${hit.id} carries document ${String(hit.doc.id)}`)
          if (!textOf(hit.doc).includes(bare(q))) wrong.push(`${q}: hit ${hit.id} does not contain it`)
        }
      })
    }
  }
  // Writes on a damaged index: typed errors at most, and what they answer stays true.
  attempt('remove a03', () => void engine.remove('a03'), true)
  attempt('update a04', () => engine.update({ id: 'a04', title: '宇宙飞船', body: '宇宙飞船发射成功' }), true)
  attempt('add', () => engine.add({ id: 'fuzz-new', title: '雷锋', body: '学雷锋' }), true)
  attempt('search after writes', () => {
    for (const hit of engine.search('雷锋', { limit: 20 }).hits) if (!textOf(hit.doc).includes('雷锋')) wrong.push(`after writes: hit ${hit.id} does not contain 雷锋`)
  })
  attempt('compact and save', () => void engine.toBytes(), true)
  return wrong
}

describe(`${MUTANTS} seeded structural mutations of a valid index (checksum recomputed)`, () => {
  it('the unmutated file passes the same oracle (so the oracle is not what fails)', () => {
    expect(wrongAnswers(SearchEngine.fromBytes(original))).toEqual([])
    expect(SearchEngine.fromBytes(original).search('雷锋').total).toBe(2)
  })

  it('each one fails to load with INDEX_CORRUPT or answers only with true hits', () => {
    const rssBefore = process.memoryUsage().rss
    const problems: string[] = []
    const outcomes = { refused: 0, loaded: 0, unchanged: 0 }
    for (let seed = 1; seed <= MUTANTS; seed++) {
      const rand = random(seed)
      const parts = splitIndex(original)
      const change = mutate(parts, rand)
      const file = change instanceof Uint8Array ? assembleIndex(parts.prefix, parts.header, change) : assembleIndex(parts.prefix, parts.header, parts.body)
      const what = change instanceof Uint8Array ? 'raw body byte' : change
      if (Buffer.from(file).equals(Buffer.from(original))) {
        outcomes.unchanged++
        continue
      }
      let engine: SearchEngine
      try {
        engine = SearchEngine.fromBytes(file)
      } catch (err) {
        if (err instanceof JiansuoError && err.code === 'INDEX_CORRUPT') outcomes.refused++
        else problems.push(`seed ${seed} (${what}): load threw ${(err as Error)?.name}: ${(err as Error)?.message}`)
        continue
      }
      outcomes.loaded++
      for (const w of wrongAnswers(engine)) problems.push(`seed ${seed} (${what}): ${w}`)
    }
    expect(problems.slice(0, 20)).toEqual([])
    // Both outcomes occur: the mutations reach the checks and also leave loadable files.
    expect(outcomes.refused).toBeGreaterThan(MUTANTS / 4)
    expect(outcomes.loaded).toBeGreaterThan(MUTANTS / 20)
    // No mutant may make the process hold much more than the index a few hundred times over.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(300 * 1024 * 1024)
  })
})
