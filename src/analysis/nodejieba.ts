/**
 * The one file that imports the nodejieba native binding. The dictionary loads lazily on first
 * use (~1–3 s) and only once per process: nodejieba's dictionary is process-wide, so jiansuo never
 * changes it (user words are matched in JS by the analyzer, per engine).
 */
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import type { Segmenter } from './segmenter.js'

const require = createRequire(import.meta.url)

interface NodejiebaBinding {
  load(options?: Record<string, string>): void
  cut(text: string, hmm?: boolean): string[]
  cutForSearch(text: string, hmm?: boolean): string[]
  DEFAULT_DICT: string
}

let binding: NodejiebaBinding | undefined
let cachedSegmenter: Segmenter | undefined

function loadBinding(): NodejiebaBinding {
  if (!binding) {
    const jieba = require('nodejieba') as NodejiebaBinding
    jieba.load()
    binding = jieba
  }
  return binding
}

export function nodejiebaSegmenter(): Segmenter {
  if (cachedSegmenter) return cachedSegmenter
  const pkg = require('nodejieba/package.json') as { version: string }
  let dictionaryHash: string | undefined
  cachedSegmenter = {
    name: 'nodejieba',
    version: pkg.version,
    get dictionaryHash() {
      // Hash the dictionary file itself: a different dictionary segments differently.
      dictionaryHash ??= createHash('sha256')
        .update(readFileSync((require('nodejieba') as NodejiebaBinding).DEFAULT_DICT))
        .digest('hex')
        .slice(0, 16)
      return dictionaryHash
    },
    cut: (text) => loadBinding().cut(text, true),
    cutForSearch: (text) => loadBinding().cutForSearch(text, true),
  }
  return cachedSegmenter
}
