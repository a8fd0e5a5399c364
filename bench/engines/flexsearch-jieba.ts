/**
 * FlexSearch 0.8 Document index (fields title, text) with a nodejieba encoder. FlexSearch calls
 * one `encode` for both indexing and querying, so a mode flag picks search-mode words while
 * building and precise-mode words while searching. Tokenizer "strict" = whole words only.
 * Queries use `suggest: true` so a document matching some (not all) words is still returned,
 * i.e. OR-like. FlexSearch has no per-field BM25 boost: results of the title field are merged
 * first, which is its usual way to prefer title hits. Saved with export() (all chunks into one
 * JSON file), loaded with import().
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import FlexSearch from 'flexsearch'
import type { Doc } from '../lib/corpus.js'
import { indexTokens, loadNodejieba, queryTokens } from './jieba.js'
import type { SearchEngineAdapter } from './types.js'

let mode: 'index' | 'query' = 'index'
const encoder = {
  encode: (text: string): string[] => (mode === 'index' ? indexTokens(text) : queryTokens(text)),
}

function newIndex() {
  return new FlexSearch.Document({
    document: { id: 'id', index: ['title', 'text'] },
    tokenize: 'strict',
    // @ts-expect-error an object with an encode() method is accepted as an Encoder at runtime
    encoder,
  })
}

export default function create(): SearchEngineAdapter {
  let index: ReturnType<typeof newIndex> | undefined
  return {
    kind: 'index',
    storesDocs: false,
    describe: 'FlexSearch 0.8 Document, nodejieba encoder (index cutForSearch / query cut, HMM), tokenize strict, suggest (OR-like), title results first',
    init: () => void loadNodejieba(),
    build(docs) {
      mode = 'index'
      index = newIndex()
      for (const d of docs) index.add({ id: d.id, title: d.title, text: d.text })
    },
    async save(path) {
      const chunks: [string, string][] = []
      await index!.export((key: string, data: string) => {
        chunks.push([key, data])
      })
      writeFileSync(path, JSON.stringify(chunks))
      return statSync(path).size
    },
    load(path) {
      index = newIndex()
      for (const [key, data] of JSON.parse(readFileSync(path, 'utf8')) as [string, string][]) index.import(key, data)
    },
    search(query, k) {
      mode = 'query'
      const res = index!.search(query, { limit: k, suggest: true, merge: true }) as unknown as { id: string | number }[]
      return res.slice(0, k).map((r) => String(r.id))
    },
  }
}
