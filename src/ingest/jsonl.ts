/**
 * JSON Lines → documents. Each line is `{ id, title, text | body, … }`; `text` is renamed `body`
 * (the default searchable field), numeric ids become strings, other properties are kept. A bad
 * line is reported with its line number and either skipped (default) or fails the whole load.
 */
import { readFileSync } from 'node:fs'
import { JiansuoError, describeValue } from '../errors.js'
import type { Document } from '../document.js'

export interface ReadJsonlOptions {
  /** `'skip'` (default): drop bad lines and report them; `'throw'`: fail on the first one. */
  onError?: 'skip' | 'throw'
}

export interface JsonlError {
  line: number
  message: string
}

export interface ReadJsonlResult {
  documents: Document[]
  /** The 1-based line each document came from (`lines[i]` for `documents[i]`). */
  lines: number[]
  errors: JsonlError[]
}

export function readJsonl(path: string, options: ReadJsonlOptions = {}): ReadJsonlResult {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new JiansuoError('IO_ERROR', `Cannot read ${describeValue(path)} (${(err as NodeJS.ErrnoException).code ?? String(err)}); check the path.`, { cause: err })
  }
  return parseJsonl(text, { ...options, source: path })
}

export function parseJsonl(text: string, options: ReadJsonlOptions & { source?: string } = {}): ReadJsonlResult {
  const documents: Document[] = []
  const lines: number[] = []
  const errors: JsonlError[] = []
  const source = options.source ?? 'input'
  const rows = text.split('\n')
  for (let i = 0; i < rows.length; i++) {
    const line = rows[i]!.trim()
    if (!line) continue
    let message: string | undefined
    let doc: Document | undefined
    try {
      const value: unknown = JSON.parse(line)
      if (typeof value !== 'object' || value === null || Array.isArray(value)) message = 'not a JSON object'
      else {
        const record = { ...(value as Record<string, unknown>) }
        if (typeof record.id === 'number') record.id = String(record.id)
        if (typeof record.id !== 'string' || !record.id) message = `id is ${describeValue(record.id)}, expected a non-empty string`
        else {
          if (record.body === undefined && typeof record.text === 'string') {
            record.body = record.text
            delete record.text
          }
          doc = record as Document
        }
      }
    } catch (err) {
      message = `invalid JSON (${(err as Error).message})`
    }
    if (message !== undefined) {
      if (options.onError === 'throw') {
        throw new JiansuoError('INVALID_INPUT', `${source}:${i + 1}: ${message}; fix the line or read with { onError: 'skip' }.`, { details: { line: i + 1 } })
      }
      errors.push({ line: i + 1, message })
    } else {
      documents.push(doc!)
      lines.push(i + 1)
    }
  }
  return { documents, lines, errors }
}
