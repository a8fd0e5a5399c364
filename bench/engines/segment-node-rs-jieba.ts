/**
 * Not a search engine: raw @node-rs/jieba (v2, Rust) search-mode segmentation with HMM, for
 * comparison with nodejieba. @node-rs/jieba is an optional dependency: if it is missing, the row
 * is skipped.
 */
import { createRequire } from 'node:module'
import { EngineUnavailable, type SegmenterAdapter } from './types.js'

interface RsJieba {
  cutForSearch(text: string, hmm?: boolean): string[]
}

export default function create(): SegmenterAdapter {
  let jieba: RsJieba
  return {
    kind: 'segment',
    describe: '@node-rs/jieba Jieba.withDict(dict).cutForSearch(title / text, HMM on), no index',
    init() {
      const require = createRequire(import.meta.url)
      let mod: { Jieba: { withDict(d: Uint8Array): RsJieba } }, dict: Uint8Array
      try {
        mod = require('@node-rs/jieba')
        dict = (require('@node-rs/jieba/dict') as { dict: Uint8Array }).dict
      } catch (e) {
        throw new EngineUnavailable(`@node-rs/jieba is not installed (${(e as Error).message.split('\n')[0]})`)
      }
      jieba = mod.Jieba.withDict(dict)
      jieba.cutForSearch('预热', true)
    },
    segmentAll(docs) {
      let n = 0
      for (const d of docs) n += jieba.cutForSearch(d.title, true).length + jieba.cutForSearch(d.text, true).length
      return n
    },
  }
}
