/**
 * Between an engine and its index file: the options a file's header implies, and the check that
 * the analyzer searching a file is the one that built it.
 */
import { JiansuoError, describeValue } from './errors.js'
import type { AnalyzerFingerprint } from './analysis/analyzer.js'
import type { IndexHeader } from './codec/index-file.js'
import type { SearchEngineOptions } from './options.js'

/** The engine options an index file implies, under the caller's `options` (which win). */
export function optionsFromHeader(header: IndexHeader, options: SearchEngineOptions = {}): SearchEngineOptions {
  const fields = Object.fromEntries([
    ...header.fields.map((f) => [f.name, { boost: f.boost }] as const),
    ...(header.columns ?? []).map((c) => [c.name, { type: c.type }] as const),
  ])
  return {
    ...options,
    fields: options.fields ?? fields,
    store: options.store ?? header.store,
    bm25: { ...header.bm25, ...(options.bm25 ?? {}) },
    ranking: { ...header.ranking, ...(options.ranking ?? {}) },
    analyzer: {
      traditionalToSimplified: header.fingerprint.traditionalToSimplified,
      stopwords: header.fingerprint.stopwords,
      userWords: header.fingerprint.userWords,
      segmenter: header.fingerprint.segmenter as 'nodejieba',
      ...(options.analyzer ?? {}),
    },
  }
}

/** ANALYZER_MISMATCH naming every setting in which `current` differs from the file's `stored`. */
export function checkFingerprint(current: AnalyzerFingerprint, stored: AnalyzerFingerprint): void {
  const differences: string[] = []
  // Both sides' keys: a setting only one of them records (token filters) differs too.
  for (const key of new Set([...Object.keys(current), ...Object.keys(stored)]) as Set<keyof AnalyzerFingerprint>) {
    if (JSON.stringify(current[key]) !== JSON.stringify(stored[key])) {
      differences.push(`${key}: index ${describeValue(stored[key], 40)}, now ${describeValue(current[key], 40)}`)
    }
  }
  if (differences.length > 0) {
    throw new JiansuoError('ANALYZER_MISMATCH', `The index was built with a different analyzer (${differences.join('; ')}); searching it would return wrong results. Load it with the same analyzer options, or rebuild it.`, { details: { differences } })
  }
}
