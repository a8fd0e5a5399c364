/**
 * PostingsStore.eachFrozenPosition: a frozen term's positions read straight from the segment's
 * bytes (what unknown-word matching reads for thousands of lists per query) are the decoded
 * list's, entry for entry; matching decodes (and caches) no list.
 */
import { describe, it, expect, vi, afterEach } from 'vitest'
import { SearchEngine } from '../src/index.js'
import { PostingsStore } from '../src/index/postings.js'
import { sampleArticles } from './robustness/helpers/common.js'

afterEach(() => vi.restoreAllMocks())

describe('eachFrozenPosition', () => {
  const engine = SearchEngine.fromBytes((() => {
    const e = new SearchEngine()
    e.addAll(sampleArticles())
    return e.toBytes()
  })())
  const postings = (engine as unknown as { index: { postings: PostingsStore } }).index.postings
  const F = postings.fieldCount
  const T = postings.frozenPostings.terms.length

  /** (doc, field, position) of every entry `keep` accepts, from the decoded list. */
  function decoded(t: number, keep: (doc: number) => boolean): number[][] {
    const list = postings.frozenList(t)
    const out: number[][] = []
    for (let k = 0; k < list.length; k++) {
      let p = list.posStart[k]!
      for (let f = 0; f < F; f++) {
        for (let n = list.freqs[k * F + f]!; n > 0; n--) if (keep(list.docs[k]!)) out.push([list.docs[k]!, f, list.pos[p++]!])
        else p++
      }
    }
    return out
  }

  it('visits exactly the decoded positions, in order, for every term of the sample (all documents, then odd ones)', () => {
    expect(T).toBeGreaterThan(1000)
    for (const keep of [() => true, (doc: number) => doc % 2 === 1]) {
      for (let t = 0; t < T; t++) {
        const read: number[][] = []
        postings.eachFrozenPosition(t, keep, (doc, field, position) => read.push([doc, field, position]))
        expect(read).toEqual(decoded(t, keep))
      }
    }
  })

  it('unknown-word matching reads frozen lists in place: no list is decoded', () => {
    const fresh = SearchEngine.fromBytes(engine.toBytes())
    const text = sampleArticles().map((a) => a.body).join('')
    const stop = fresh.analyzer.stopwordChars()
    const decode = vi.spyOn(PostingsStore.prototype, 'frozenList')
    let matched = 0
    for (let i = 0; i + 2 <= text.length && matched < 20; i += 5) {
      const w = text.slice(i, i + 2)
      if (!/^\p{Script=Han}{2}$/u.test(w) || [...w].some((c) => stop.has(c.codePointAt(0)!)) || postings.docFreq(w) > 0) continue
      const tokens = fresh.analyzer.analyze(w, 'query')
      if (tokens.length !== 1 || tokens[0]!.term !== w) continue
      expect(fresh.search(w, { snippet: false }).total).toBeGreaterThan(0)
      matched++
    }
    expect(matched).toBe(20)
    expect(decode).not.toHaveBeenCalled()
  })
})
