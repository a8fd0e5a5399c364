/**
 * A document as the caller passed it, read exactly once into what is indexed and stored: its id,
 * its searchable fields' texts, and the JSON kept for hits. Errors are INVALID_DOCUMENT.
 */
import { JiansuoError, describeValue } from './errors.js'
import type { ColumnSpec, ColumnValue } from './index/columns.js'
import { columnValue } from './index/column-values.js'

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** One document as read once: its id, its searchable fields' texts in field order, its typed fields' values, its stored JSON. */
export interface DocumentInput {
  id: string
  texts: string[]
  values: ColumnValue[]
  stored: string
}

/**
 * Read a document exactly once — its own properties in one pass, inherited searchable fields
 * (class getters) once each — and check that copy: what is stored is what is indexed, whatever
 * getters or callbacks do later.
 */
export function readDocument(
  document: unknown,
  fieldNames: readonly string[],
  columns: readonly ColumnSpec[],
  store: true | readonly string[],
  index?: number,
): DocumentInput {
  const where = index === undefined ? 'The document' : `Document #${index}`
  // The batch position travels with the error, so a caller (the CLI) can name the file and line.
  const details = index === undefined ? undefined : { index }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new JiansuoError('INVALID_DOCUMENT', `${where} is ${describeValue(document)}; pass an object like { id: "a1", title: "…", body: "…" }.`, { details })
  }
  let entries: [string, unknown][]
  const inherited = new Map<string, unknown>()
  try {
    entries = Object.entries(document)
    const own = new Set(entries.map(([key]) => key))
    for (const key of ['id', ...fieldNames, ...columns.map((c) => c.name)]) if (!own.has(key)) inherited.set(key, (document as Record<string, unknown>)[key])
  } catch (err) {
    throw new JiansuoError('INVALID_DOCUMENT', `${where} could not be read (${(err as Error)?.message ?? String(err)}); pass a plain object.`, { cause: err, details })
  }
  const values = new Map([...entries, ...inherited])
  const id = values.get('id')
  if (typeof id !== 'string' || id.length === 0) {
    throw new JiansuoError('INVALID_DOCUMENT', `${where} has id ${describeValue(id)}; every document needs a non-empty string id.`, { details })
  }
  if (LONE_SURROGATE.test(id)) {
    throw new JiansuoError('INVALID_DOCUMENT', `${where} has id ${describeValue(id)} with a lone surrogate (broken UTF-16); ids must be well-formed text.`, { details })
  }
  const texts = fieldNames.map((field) => {
    const value = values.get(field)
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw new JiansuoError('INVALID_DOCUMENT', `${where} (id ${describeValue(id)}) has field ${field} = ${describeValue(value)}; searchable fields must be strings.`, { details })
    }
    return typeof value === 'string' ? value : ''
  })
  const columnValues = columns.map(({ name, type }) => {
    const read = columnValue(type, values.get(name))
    if ('problem' in read) {
      throw new JiansuoError('INVALID_DOCUMENT', `${where} (id ${describeValue(id)}) has ${type} field ${name} = ${describeValue(values.get(name))}; expected ${read.problem}, or no value.`, { details })
    }
    return read.value
  })
  return { id, texts, values: columnValues, stored: storedForm(id, entries, inherited, fieldNames, store) }
}

/** What is kept for a hit: a JSON copy of the values read, so the caller's object is not shared. */
function storedForm(
  id: string,
  entries: readonly [string, unknown][],
  inherited: ReadonlyMap<string, unknown>,
  fieldNames: readonly string[],
  store: true | readonly string[],
): string {
  const out: [string, unknown][] = [['id', id]]
  const searchable = new Set(fieldNames)
  for (const [key, value] of entries) {
    if (key === 'id' || value === undefined) continue
    if (searchable.has(key)) {
      searchable.delete(key)
      out.push([key, value])
    } else if (store === true || store.includes(key)) out.push([key, value])
  }
  // Searchable fields that are not own properties (class getters) were indexed too.
  for (const field of searchable) {
    const value = inherited.get(field)
    if (typeof value === 'string') out.push([field, value])
  }
  try {
    // fromEntries defines own properties: a "__proto__" key stays a key, not a prototype.
    return JSON.stringify(Object.fromEntries(out))
  } catch (err) {
    const bad = out.find(([, value]) => {
      try {
        JSON.stringify(value)
        return false
      } catch {
        return true
      }
    })
    throw new JiansuoError('INVALID_DOCUMENT', `Document ${describeValue(id)} has property ${describeValue(bad?.[0])} that cannot be stored as JSON (${(err as Error).message}); remove it or pass { store: [...] } without it.`, { cause: err })
  }
}
