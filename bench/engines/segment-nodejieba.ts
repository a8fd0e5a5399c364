/**
 * Not a search engine: raw nodejieba search-mode segmentation (cutForSearch, HMM on) of every
 * title and text. It is the floor for any jieba-based indexer, and the denominator of the
 * "jiansuo build MB/s ÷ raw segmentation MB/s" ratio.
 */
import type { SegmenterAdapter } from './types.js'
import { loadNodejieba } from './jieba.js'

export default function create(): SegmenterAdapter {
  let jieba: ReturnType<typeof loadNodejieba>
  return {
    kind: 'segment',
    describe: 'nodejieba cutForSearch(title) + cutForSearch(text), HMM on, no index',
    init() {
      jieba = loadNodejieba()
    },
    segmentAll(docs) {
      let n = 0
      for (const d of docs) n += jieba.cutForSearch(d.title, true).length + jieba.cutForSearch(d.text, true).length
      return n
    },
  }
}
