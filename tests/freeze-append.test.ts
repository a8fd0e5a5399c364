/**
 * A freeze after single adds (postings.ts, `appendSegment`): a frozen term the adds thawed keeps
 * its frozen bytes and only the added entries are encoded. The segment must be the one a build
 * of all the documents at once gives, list for list.
 */
import { describe, it, expect } from 'vitest'
import { SearchEngine } from '../src/index.js'
import type { PostingsStore } from '../src/index/postings.js'
import { sampleArticles } from './robustness/helpers/common.js'

const postingsOf = (e: SearchEngine) => (e as unknown as { index: { postings: PostingsStore } }).index.postings

function lists(e: SearchEngine): Map<string, { docs: number[]; freqs: number[]; pos: number[] }> {
  const p = postingsOf(e)
  const out = new Map<string, { docs: number[]; freqs: number[]; pos: number[] }>()
  for (const term of p.terms()) {
    const l = p.get(term)!
    out.set(term, { docs: [...Array.from(l.docs)], freqs: [...Array.from(l.freqs)], pos: [...Array.from(l.pos)] })
  }
  return out
}

describe('freezing after single adds', () => {
  it('gives the lists of one build of every document, and reads the frozen bytes of thawed terms as they were', () => {
    const articles = sampleArticles()
    const [first, later] = [articles.slice(0, 8), articles.slice(8)]
    const appended = new SearchEngine()
    appended.addAll(first)
    const frozen = postingsOf(appended).frozenPostings
    for (const doc of later) appended.add(doc)
    // The later articles share common terms with the first: those were thawed by the adds.
    const thawed = [...postingsOf(appended).terms()].filter((t) => postingsOf(appended).frozenTermOf(t) < 0 && frozen.terms.includes(t))
    expect(thawed.length).toBeGreaterThan(20)
    appended.compact()
    const once = new SearchEngine()
    once.addAll(articles)
    expect(lists(appended)).toEqual(lists(once))
    expect(SearchEngine.fromBytes(appended.toBytes()).search('志愿者 活动', { snippet: false }).hits.map((h) => [h.id, h.score])).toEqual(
      once.search('志愿者 活动', { snippet: false }).hits.map((h) => [h.id, h.score]),
    )
  })
})
