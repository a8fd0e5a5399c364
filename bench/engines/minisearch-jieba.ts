/**
 * MiniSearch 7 with nodejieba tokenization: index search-mode words, query precise-mode words,
 * title boost 2, terms combined with OR (BM25-like ranking, like jiansuo). Saved as MiniSearch's
 * own JSON; loading re-parses it (MiniSearch.loadJSON). No stored fields: ids only.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import MiniSearch, { type Options } from 'minisearch'
import type { Doc } from '../lib/corpus.js'
import { indexTokens, loadNodejieba, queryTokens } from './jieba.js'
import type { SearchEngineAdapter } from './types.js'

const options: Options<Doc> = {
  fields: ['title', 'text'],
  storeFields: [],
  tokenize: (text) => indexTokens(text),
  // Tokens are already lowercased and filtered; the default processTerm would just redo that.
  processTerm: (term) => term,
  searchOptions: {
    boost: { title: 2 },
    combineWith: 'OR',
    tokenize: (text) => queryTokens(text),
    processTerm: (term) => term,
  },
}

export default function create(): SearchEngineAdapter {
  let ms: MiniSearch<Doc> | undefined
  return {
    kind: 'index',
    storesDocs: false,
    describe: 'MiniSearch 7, nodejieba (index cutForSearch / query cut, HMM), title boost 2, OR, no prefix/fuzzy',
    init: () => void loadNodejieba(),
    build(docs) {
      ms = new MiniSearch<Doc>(options)
      ms.addAll(docs as Doc[])
    },
    save(path) {
      writeFileSync(path, JSON.stringify(ms))
      return statSync(path).size
    },
    load(path) {
      ms = MiniSearch.loadJSON<Doc>(readFileSync(path, 'utf8'), options)
    },
    search(query, k) {
      return ms!.search(query).slice(0, k).map((r) => String(r.id))
    },
  }
}
