/** Rendering highlights: HTML with the document's own text escaped, tags configurable. */
import type { Range } from './matches.js'

export interface HighlightTags {
  /** Inserted before each highlight (default `<mark>`); not escaped. */
  pre: string
  /** Inserted after each highlight (default `</mark>`); not escaped. */
  post: string
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

const SPECIAL = /[&<>"']/
const SPECIALS = /[&<>"']/g

export function escapeHtml(text: string): string {
  // Chinese text rarely holds any of the five (its quotes are “” and 「」): a test, no copy.
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ESCAPES[c]!) : text
}

/** `ranges` are sorted, non-overlapping, relative to `text`. */
export function toHtml(text: string, ranges: readonly Range[], tags: HighlightTags): string {
  let out = ''
  let at = 0
  for (const r of ranges) {
    out += escapeHtml(text.slice(at, r.start)) + tags.pre + escapeHtml(text.slice(r.start, r.end)) + tags.post
    at = r.end
  }
  return out + escapeHtml(text.slice(at))
}
