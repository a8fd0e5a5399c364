/**
 * Orama 3 with the official mandarin tokenizer from @orama/tokenizers. That tokenizer segments
 * with the runtime's Intl.Segmenter (ICU word breaking), not jieba, so there is no dictionary file
 * to load. Search uses Orama's defaults (BM25, OR across terms — threshold 1, prefix matching) with
 * title boost 2. Orama always keeps the documents, so its index file includes the text.
 * @orama/plugin-data-persistence is not installed, so save/load is JSON of save()/load().
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { create, insert, load, save, search, type AnyOrama, type RawData } from '@orama/orama'
import { createTokenizer } from '@orama/tokenizers/mandarin'
import type { Doc } from '../lib/corpus.js'
import type { SearchEngineAdapter } from './types.js'

function newDb(): AnyOrama {
  return create({
    schema: { id: 'string', title: 'string', text: 'string' } as const,
    components: { tokenizer: createTokenizer() },
  }) as AnyOrama
}

export default function create_(): SearchEngineAdapter {
  let db: AnyOrama | undefined
  return {
    kind: 'index',
    storesDocs: true,
    describe: 'Orama 3, @orama/tokenizers/mandarin (Intl.Segmenter), defaults (BM25, OR, prefix), title boost 2; JSON of save()',
    init() {
      // Touch ICU word breaking once so its data is loaded before the build is timed.
      new Intl.Segmenter('zh-CN', { granularity: 'word' }).segment('中文分词预热')[Symbol.iterator]().next()
    },
    async build(docs) {
      db = newDb()
      // insert() is synchronous with default components; await covers the async case anyway.
      for (const d of docs) {
        const r = insert(db, { id: d.id, title: d.title, text: d.text })
        if (r instanceof Promise) await r
      }
    },
    save(path) {
      writeFileSync(path, JSON.stringify(save(db!)))
      return statSync(path).size
    },
    load(path) {
      db = newDb()
      load(db, JSON.parse(readFileSync(path, 'utf8')) as RawData)
    },
    search(query, k) {
      const r = search(db!, { term: query, properties: ['title', 'text'], boost: { title: 2 }, limit: k })
      const ids = (res: { hits: { id: string }[] }) => res.hits.map((h) => h.id)
      return r instanceof Promise ? r.then(ids) : ids(r)
    },
  }
}
