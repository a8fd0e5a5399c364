/**
 * `GET /search` query parameters → the query and the options of `engine.search()`. Structured
 * options travel as JSON (`filter={"date":{"gte":"2024-01-01"}}`); `sort`, `facets` and `fields`
 * also take the CLI's comma form (`sort=date:desc,_score`, `facets=column,date:month`), which is
 * what a person types into curl. Anything malformed is INVALID_OPTION naming the parameter; what
 * the values mean (field names, ranges) is left to the engine, so the service and the library
 * reject the same things with the same codes.
 */
import { JiansuoError, describeValue } from '../errors.js'
import { checkKeys } from '../arguments.js'
import type { SearchOptions } from '../search-options.js'

const PARAMETERS = ['q', 'limit', 'offset', 'filter', 'sort', 'facets', 'fields', 'explain', 'strict'] as const

export interface SearchRequest {
  query: string
  options: SearchOptions
}

export function searchRequest(params: URLSearchParams): SearchRequest {
  const seen = new Set<string>()
  for (const name of params.keys()) {
    // A repeated parameter has no single meaning (which limit wins?): say so instead of guessing.
    if (seen.has(name)) invalid(name, params.getAll(name), 'given once')
    seen.add(name)
  }
  checkKeys('of GET /search', Object.fromEntries(params), PARAMETERS)
  const options: SearchOptions = {}
  const limit = params.get('limit')
  if (limit !== null) options.limit = wholeNumber('limit', limit)
  const offset = params.get('offset')
  if (offset !== null) options.offset = wholeNumber('offset', offset)
  const filter = params.get('filter')
  if (filter !== null && filter !== '') options.filter = json('filter', filter, '{"date":{"gte":"2024-01-01"}}') as SearchOptions['filter']
  const sort = params.get('sort')
  if (sort !== null && sort !== '') options.sort = sortOption(sort)
  const facets = params.get('facets')
  if (facets !== null && facets !== '') options.facets = facetsOption(facets)
  const fields = params.get('fields')
  if (fields !== null && fields !== '') options.fields = isJson(fields) ? (json('fields', fields, '["title"]') as string[]) : list(fields)
  const explain = params.get('explain')
  if (explain !== null) options.explain = flag('explain', explain)
  const strict = params.get('strict')
  if (strict !== null) options.strict = flag('strict', strict)
  return { query: params.get('q') ?? '', options }
}

function invalid(name: string, value: unknown, expected: string): never {
  throw new JiansuoError('INVALID_OPTION', `Query parameter ${name} is ${describeValue(value)}; expected ${expected}.`)
}

function wholeNumber(name: string, raw: string): number {
  const n = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN
  if (!Number.isSafeInteger(n)) invalid(name, raw, `a whole number ≥ 0, e.g. ${name}=10`)
  return n
}

function flag(name: string, raw: string): boolean {
  if (raw === '' || raw === 'true' || raw === '1') return true
  if (raw === 'false' || raw === '0') return false
  return invalid(name, raw, 'true or false (or 1 / 0)')
}

/** Does the value start like JSON rather than the comma form? */
function isJson(raw: string): boolean {
  return /^\s*[[{"]/.test(raw)
}

function json(name: string, raw: string, example: string): unknown {
  try {
    return JSON.parse(raw)
  } catch (err) {
    return invalid(name, raw, `URL-encoded JSON (${(err as Error).message}), e.g. ${name}=${example}`)
  }
}

function list(raw: string): string[] {
  return raw.split(',').map((s) => s.trim()).filter(Boolean)
}

/** `date:desc,_score` or JSON (`[{"date":"desc"},"_score"]`, `"date:desc"`). */
function sortOption(raw: string): SearchOptions['sort'] {
  if (isJson(raw)) return json('sort', raw, '[{"date":"desc"},"_score"]') as SearchOptions['sort']
  const levels = list(raw)
  return levels.length === 1 ? levels[0] : levels
}

/**
 * JSON (`{"column":{"limit":20},"date":{"interval":"month"}}`) or the CLI's list: `column` (top
 * 10), `column:20`, `date:month`. Number facets need ranges, so they need the JSON form.
 */
function facetsOption(raw: string): SearchOptions['facets'] {
  if (isJson(raw)) return json('facets', raw, '{"column":{"limit":10},"date":{"interval":"year"}}') as SearchOptions['facets']
  const facets: NonNullable<SearchOptions['facets']> = {}
  for (const item of list(raw)) {
    const colon = item.indexOf(':')
    const name = colon < 0 ? item : item.slice(0, colon)
    const setting = colon < 0 ? undefined : item.slice(colon + 1)
    if (setting === undefined) facets[name] = true
    else if (/^\d+$/.test(setting)) facets[name] = { limit: Number(setting) }
    else if (setting === 'year' || setting === 'month' || setting === 'day') facets[name] = { interval: setting }
    else invalid('facets', raw, 'field, field:N (top N) or field:year|month|day, comma-separated, or JSON')
  }
  return facets
}
