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
 * `parallel`: build with addAllParallel (segmentation on worker threads, default worker count).
 * The workers load their own dictionaries inside the timed build; that is the real cost.
 */
export function createJiansuo(parallel: boolean): SearchEngineAdapter {
  let engine: SearchEngine | undefined
  return {
    kind: 'index',
    storesDocs: true,
    describe: parallel
      ? 'jiansuo (src/), same options, built with addAllParallel (worker threads, default count; their dictionary loads count as build time)'
      : 'jiansuo (src/), fields title boost 2 + text, default analyzer, addAll; snippets column = 2 highlighted snippets per hit',
    init() {
      // jiansuo loads its segmenter dictionary lazily; a throwaway engine forces that load here so
      // the timed build below measures indexing only.
      const warm = new SearchEngine(options)
      warm.addAll([{ id: 'warm', title: '中文分词预热', text: '检索引擎在构建索引之前加载词典。' }])
      warm.search('分词', { limit: 1, snippet: false })
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
