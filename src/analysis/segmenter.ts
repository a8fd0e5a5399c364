/**
 * The seam between jiansuo and a Chinese word segmenter. Only Han text reaches a segmenter (the
 * analyzer splits Latin/digit runs off first), already normalized. Tests can inject a fake.
 */
export interface Segmenter {
  /** Stable name recorded in index files, e.g. `nodejieba`. */
  readonly name: string
  /** Version of the segmenter package; part of the analyzer fingerprint. */
  readonly version: string
  /** Hash of the dictionary the segmenter uses; part of the analyzer fingerprint. */
  readonly dictionaryHash: string
  /** Precise mode (HMM on for unknown words): the words tile the input. */
  cut(text: string): string[]
  /**
   * Search mode in jieba's layout: for each precise word, its dictionary sub-words (2- and
   * 3-character) first, then the word itself. The analyzer relies on this order to place
   * sub-words at their parent's position.
   */
  cutForSearch(text: string): string[]
}

export type SegmenterName = 'nodejieba' | 'node-rs-jieba'
