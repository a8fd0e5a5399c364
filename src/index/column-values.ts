/**
 * What a typed field accepts, for documents and for filters alike: dates as ISO text (or Date),
 * numbers as finite numbers, keywords as strings or arrays of strings.
 *
 * Dates are read as UTC when they name no zone, so an index means the same on every machine;
 * a date names a period — `2024` the year, `2024-03` the month, `2024-03-05` the day, a date-time
 * its millisecond — and a document's value is the period's start.
 */
import type { ColumnType, ColumnValue } from './columns.js'

/** A period of time: [start, end) in UTC epoch milliseconds. */
export interface Period {
  start: number
  end: number
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/

/** The period an ISO date text names, or undefined when it is not one (2024-02-30 is not). */
export function parsePeriod(text: string): Period | undefined {
  const m = DATE.exec(text.trim())
  if (!m) return undefined
  const [, y, mo, d, h, mi, s, ms, zone] = m
  const year = Number(y)
  const month = mo === undefined ? 1 : Number(mo)
  const day = d === undefined ? 1 : Number(d)
  const hour = h === undefined ? 0 : Number(h)
  const minute = mi === undefined ? 0 : Number(mi)
  const second = s === undefined ? 0 : Number(s)
  const milli = ms === undefined ? 0 : Number(ms.padEnd(3, '0'))
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, milli)
  // Date.UTC rolls 2024-02-30 over into March: such a date does not exist.
  if (new Date(utc).getUTCDate() !== day) return undefined
  let offset = 0
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    const zh = Number(digits.slice(0, 2))
    const zm = Number(digits.slice(2))
    if (zh > 23 || zm > 59) return undefined
    offset = sign * (zh * 60 + zm) * 60_000
  }
  const start = utc - offset
  if (h !== undefined) return { start, end: start + (s === undefined ? 60_000 : ms === undefined ? 1000 : 1) }
  if (d !== undefined) return { start, end: Date.UTC(year, month - 1, day + 1) }
  if (mo !== undefined) return { start, end: Date.UTC(year, month, 1) }
  return { start, end: Date.UTC(year + 1, 0, 1) }
}

/** Keyword values per document, at most; more is a document mistake, not a list of tags. */
export const MAX_KEYWORDS = 1000
/** A keyword's length, at most (UTF-16 code units). */
export const MAX_KEYWORD_LENGTH = 1000

/**
 * A document's value for a typed field, or a description of what is wrong with it
 * (the caller words the error). `undefined`, `null` and (for dates) empty text are no value.
 */
export function columnValue(type: ColumnType, value: unknown): { value: ColumnValue } | { problem: string } {
  // An empty date text is how exports spell "no date": no value, not a broken document.
  if (value === undefined || value === null || (type === 'date' && typeof value === 'string' && value.trim() === '')) return { value: null }
  switch (type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? { value } : { problem: 'a finite number' }
    case 'date': {
      // Years 0–9999, as ISO text can name them (facet labels are ISO periods).
      if (value instanceof Date) {
        const year = value.getUTCFullYear()
        return Number.isFinite(value.getTime()) && year >= 0 && year <= 9999 ? { value: value.getTime() } : { problem: 'a valid Date of the years 0–9999, or an ISO date text like "2024-03-05"' }
      }
      const period = typeof value === 'string' ? parsePeriod(value) : undefined
      return period ? { value: period.start } : { problem: 'a Date or an ISO date text like "2024-03-05" or "2024-03-05T08:30:00+08:00"' }
    }
    case 'keyword': {
      const list = typeof value === 'string' ? [value] : value
      const ok = Array.isArray(list) && list.length <= MAX_KEYWORDS && list.every((v) => typeof v === 'string' && v.length <= MAX_KEYWORD_LENGTH)
      return ok ? { value: list as string[] } : { problem: `a string or an array of at most ${MAX_KEYWORDS} strings of at most ${MAX_KEYWORD_LENGTH} characters` }
    }
  }
}
