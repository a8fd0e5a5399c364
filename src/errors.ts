/**
 * One catalog of error codes. Every error jiansuo throws on purpose is a `JiansuoError` whose
 * `code` is one of these, so callers can branch on the code and show the message to a person.
 */
export const ERROR_CODES = {
  INVALID_DOCUMENT: 'a document is not an object with a non-empty string id and string field values',
  DUPLICATE_ID: 'a document with this id is already indexed',
  NOT_FOUND: 'no document with this id is indexed',
  UNKNOWN_FIELD: 'a field name that is not in the schema',
  INVALID_OPTION: 'an option has a wrong type or value',
  INVALID_QUERY: 'a query could not be parsed (strict mode only) or is not a string',
  INDEX_CORRUPT: 'the index file is damaged or truncated',
  NOT_AN_INDEX: 'the file is not a jiansuo index',
  FORMAT_TOO_OLD: 'the index file was written by an older format this version cannot read',
  FORMAT_TOO_NEW: 'the index file was written by a newer jiansuo',
  ANALYZER_MISMATCH: 'the index was built with a different analyzer configuration',
  IO_ERROR: 'reading or writing a file failed',
  INVALID_INPUT: 'an input file (newspaper text, JSONL) could not be parsed',
} as const

export type ErrorCode = keyof typeof ERROR_CODES

export class JiansuoError extends Error {
  readonly code: ErrorCode
  /** Extra facts for programs (e.g. the line number of a bad JSONL line, what differs). */
  readonly details?: Record<string, unknown>

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'JiansuoError'
    this.code = code
    if (options?.details) this.details = options.details
  }
}

/** Show a user-supplied value in a message without flooding it. */
export function describeValue(value: unknown, max = 60): string {
  let text: string
  if (typeof value === 'string') text = JSON.stringify(value)
  else if (value === undefined) text = 'undefined'
  else if (typeof value === 'number') text = String(value)
  else if (typeof value === 'bigint' || typeof value === 'symbol' || typeof value === 'function') text = String(value)
  else {
    try {
      text = JSON.stringify(value) ?? String(value)
    } catch {
      text = Object.prototype.toString.call(value)
    }
  }
  return text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text
}
