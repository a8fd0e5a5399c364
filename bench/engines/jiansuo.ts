/**
 * jiansuo itself, straight from src/ (no build step): fields title (boost 2) and text, defaults
 * otherwise. Index = one binary file written by save(); load() reads it back. The index keeps the
 * documents (hits carry `doc` and snippets), so its size includes the text.
 */
import { statSync } from 'node:fs'
import { SearchEngine } from '../../src/index.js'
import type { SearchEngineAdapter } from './types.js'

const options = { fields: { title: { boost: 2 }, text: {} } }

/**
 * `parallel`: build with addAllParallel (analysis on pooled worker threads plus the calling
 * thread, default worker count). `cold`: the workers start and load their dictionaries inside
 * the timed build; `warm`: init() starts them (warmWorkers), as it loads the calling thread's
 * dictionary for every jiansuo row — what a long-running service that indexes repeatedly sees.
 */
export function createJiansuo(parallel: false | 'cold' | 'warm'): SearchEngineAdapter {
  let engine: SearchEngine | undefined
  return {
    kind: 'index',
    storesDocs: true,
    describe:
      parallel === 'cold'
        ? 'jiansuo (src/), same options, built with addAllParallel (pooled workers + calling thread, default count; the workers start and load their dictionaries inside the timed build)'
        : parallel === 'warm'
          ? 'jiansuo (src/), same options, built with addAllParallel after warmWorkers() in init (dictionaries loaded before the timed build, like the single-thread row)'
          : 'jiansuo (src/), fields title boost 2 + text, default analyzer, addAll; snippets column = 2 highlighted snippets per hit',
    async init() {
      // jiansuo loads its segmenter dictionary lazily; a throwaway engine forces that load here so
      // the timed build below measures indexing only.
      const warm = new SearchEngine(options)
      warm.addAll([{ id: 'warm', title: '中文分词预热', text: '检索引擎在构建索引之前加载词典。' }])
      warm.search('分词', { limit: 1, snippet: false })
      if (parallel === 'warm') await warm.warmWorkers()
    },
    async build(docs) {
      engine = new SearchEngine(options)
      if (parallel) await engine.addAllParallel(docs as { id: string; title: string; text: string }[])
      else engine.addAll(docs as { id: string; title: string; text: string }[])
    },
    async save(path) {
      await engine!.save(path)
      return statSync(path).size
    },
    async load(path) {
      engine = await SearchEngine.load(path)
    },
    search(query, k) {
      return engine!.search(query, { limit: k, snippet: false }).hits.map((h) => String(h.id))
    },
    searchWithSnippets(query, k) {
      return engine!.search(query, { limit: k, snippet: { count: 2 } })
    },
  }
}

export default function create(): SearchEngineAdapter {
  return createJiansuo(false)
}
