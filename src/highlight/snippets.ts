/**
 * Choosing the passages shown under a hit: split the field into sentences, score each by the
 * query terms it contains (distinct terms count most, so a sentence with both 雷锋 and 志愿 beats
 * one that repeats 雷锋), take the best `count`, grow or trim each to about `length` characters
 * around its matches, and put them back in document order. Ellipses mark cuts.
 */
import { findMatches, mergeRanges, type Range, type TermMatch } from './matches.js'
import { toHtml, type HighlightTags } from './format.js'
import type { NormalizeOptions } from '../analysis/normalize.js'

export interface Snippet {
  /** The field the passage comes from. */
  field: string
  /** The passage, with `…` where it was cut from longer text. */
  text: string
  /** Offsets of the passage in the original field text (UTF-16, ellipses excluded). */
  start: number
  end: number
  /** Highlight ranges relative to `text`. */
  ranges: Range[]
  /** `text` HTML-escaped, highlights wrapped in the configured tags. */
  html: string
}

export interface SnippetOptions {
  /** Approximate passage length in characters (default 120). */
  length: number
  /** Passages per hit (default 2). */
  count: number
  /** A field with no match still shows its opening (default false: no passage). */
  fallback: boolean
}

const ELLIPSIS = '…'

/** Highlight a whole short field (e.g. the title); matches are looked for in its first `scanLimit` code units. */
export function highlightWhole(field: string, text: string, terms: readonly string[], norm: NormalizeOptions, tags: HighlightTags, scanLimit = Infinity): Snippet {
  const scanned = text.length > scanLimit ? text.slice(0, scanLimit) : text
  // A cut in the middle of a pair or of a term leaves that one match out, nothing else.
  const ranges = mergeRanges(findMatches(scanned, terms, norm))
  return { field, text, start: 0, end: text.length, ranges, html: toHtml(text, ranges, tags) }
}

export function makeSnippets(
  field: string,
  text: string,
  terms: readonly string[],
  weights: ReadonlyMap<string, number>,
  norm: NormalizeOptions,
  options: SnippetOptions,
  tags: HighlightTags,
): Snippet[] {
  if (!text || options.count <= 0) return []
  const matches = findMatches(text, terms, norm)
  const scored = scoreSentences(text, matches, weights)
  const chosen = scored
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, options.count)
    .sort((a, b) => a.start - b.start)
  if (chosen.length === 0) {
    // No match in this field: its opening only when asked for.
    return options.fallback ? [cut(field, text, 0, Math.min(text.length, options.length), [], tags)] : []
  }
  const windows: Range[] = []
  let lastEnd = 0
  for (const s of chosen) {
    let start = s.start
    let end = s.end
    if (end - start > options.length) {
      // Long sentence: centre the window on its first match.
      const anchor = s.firstMatch >= 0 ? s.firstMatch : s.start
      start = Math.max(s.start, anchor - Math.floor(options.length / 3))
      end = Math.min(s.end, start + options.length)
    } else {
      // Short sentence: extend forward into the next sentences up to the length.
      end = Math.min(text.length, Math.max(end, start + options.length))
      const stop = nextSentenceEnd(text, end)
      if (stop - start <= options.length * 1.25) end = stop
    }
    start = Math.max(start, lastEnd)
    if (end <= start) continue
    const previous = windows[windows.length - 1]
    // Passages that touch become one: two cut at the same point would print as 干部模范带… / …头作用.
    if (previous && start <= previous.end) previous.end = end
    else windows.push({ start, end })
    lastEnd = end
  }
  return windows.map(({ start, end }) => cut(field, text, start, end, matchesWithin(matches, start, end), tags))
}

function cut(field: string, text: string, start: number, end: number, matches: readonly Range[], tags: HighlightTags): Snippet {
  // Never split a surrogate pair at either edge.
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start--
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end++
  let trimmedEnd = end
  while (trimmedEnd > start && isSpace(text.charCodeAt(trimmedEnd - 1))) trimmedEnd--
  const body = text.slice(start, trimmedEnd)
  const lead = start > 0 && !isSentenceEnd(text.charCodeAt(start - 1)) ? ELLIPSIS : ''
  const tail = trimmedEnd < text.length && !isSentenceEnd(text.charCodeAt(trimmedEnd - 1)) ? ELLIPSIS : ''
  const shift = lead.length - start
  const ranges = mergeRanges(matches.filter((m) => m.end <= trimmedEnd)).map((r) => ({ start: r.start + shift, end: r.end + shift }))
  const snippetText = lead + body + tail
  return { field, text: snippetText, start, end: trimmedEnd, ranges, html: toHtml(snippetText, ranges, tags) }
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff
}

/** Sentence-final characters: 。！？!?；;\n… (a char-code test: this runs over every character of every hit). */
function isSentenceEnd(code: number): boolean {
  return code === 0x3002 || code === 0xff01 || code === 0xff1f || code === 0x21 || code === 0x3f || code === 0xff1b || code === 0x3b || code === 0x0a || code === 0x2026
}

/** Closing quotes and brackets stay with the sentence they end: 。” ends after the quote. */
function isCloser(code: number): boolean {
  return code === 0x201d || code === 0x2019 || code === 0x300d || code === 0x300f || code === 0x29 || code === 0xff09
}

/** What `/\s/u` matches, as a char-code test (this runs at the start of every sentence of every hit). */
function isSpace(code: number): boolean {
  return (code >= 0x09 && code <= 0x0d) || code === 0x20 || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
}

function nextSentenceEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (isSentenceEnd(text.charCodeAt(i))) return i + 1
  return text.length
}

/**
 * Split `text` into sentences and score those holding matches, in one sweep (matches and
 * sentences are both in text order): distinct terms dominate, repeats add a little. A sentence
 * ends after 。！？!?；;\n… and the closing quotes or brackets right after it; leading spaces are
 * not part of it. The sweep stops after the last match: the rest of a long article is not read.
 */
function scoreSentences(
  text: string,
  matches: readonly TermMatch[],
  weights: ReadonlyMap<string, number>,
): (Range & { i: number; score: number; firstMatch: number })[] {
  const out: (Range & { i: number; score: number; firstMatch: number })[] = []
  let m = 0
  let i = 0
  const visit = (start: number, end: number): void => {
    while (start < end && isSpace(text.charCodeAt(start))) start++
    if (start >= end) return
    i++
    while (m < matches.length && matches[m]!.start < start) m++
    // Most sentences hold no match: they cost one comparison and no allocation.
    if (m >= matches.length || matches[m]!.start >= end) return
    const distinct = new Set<string>()
    let hits = 0
    let firstMatch = -1
    for (let j = m; j < matches.length && matches[j]!.start < end; j++) {
      const match = matches[j]!
      if (match.end > end) continue
      if (firstMatch < 0) firstMatch = match.start
      distinct.add(match.term)
      hits++
    }
    if (hits === 0) return
    let score = 0
    for (const term of distinct) score += weights.get(term) ?? 1
    out.push({ start, end, i, score: score * 10 + Math.min(hits, 10), firstMatch })
  }
  const last = matches.length > 0 ? matches[matches.length - 1]!.start : -1
  let start = 0
  for (let c = 0; c < text.length && start <= last; c++) {
    if (!isSentenceEnd(text.charCodeAt(c))) continue
    let end = c + 1
    while (end < text.length && isCloser(text.charCodeAt(end))) end++
    if (end > start) visit(start, end)
    start = end
    c = end - 1
  }
  if (start < text.length && start <= last) visit(start, text.length)
  return out
}

/** Matches lying inside [start, end), found by binary search (matches are sorted by start). */
function matchesWithin(matches: readonly TermMatch[], start: number, end: number): TermMatch[] {
  let lo = 0
  let hi = matches.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (matches[mid]!.start < start) lo = mid + 1
    else hi = mid
  }
  const out: TermMatch[] = []
  for (let j = lo; j < matches.length && matches[j]!.start < end; j++) if (matches[j]!.end <= end) out.push(matches[j]!)
  return out
}
