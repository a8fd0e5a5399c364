/** A segmenter by its option name: one place for the engine and the build workers to choose. */
import { nodejiebaSegmenter } from './nodejieba.js'
import { nodeRsJiebaSegmenter } from './node-rs-jieba.js'
import type { Segmenter, SegmenterName } from './segmenter.js'

export function namedSegmenter(name: SegmenterName): Segmenter {
  return name === 'node-rs-jieba' ? nodeRsJiebaSegmenter() : nodejiebaSegmenter()
}
