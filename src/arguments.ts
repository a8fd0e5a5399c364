/**
 * Checks for the arguments of public calls (options objects, paths, callbacks), so a wrong
 * argument is an INVALID_OPTION naming the value — never a TypeError from deep inside.
 * Engine construction options are resolved in `options.ts`; these are the per-call ones.
 */
import { JiansuoError, describeValue } from './errors.js'

function invalid(what: string, value: unknown, expected: string): never {
  throw new JiansuoError('INVALID_OPTION', `${what} is ${describeValue(value)}; expected ${expected}.`)
}

/** An options argument: `undefined` (none) or a plain object. */
export function optionsObject<T extends object>(call: string, value: T | undefined): Partial<T> {
  if (value === undefined) return {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(`The options of ${call}`, value, 'an object (or nothing)')
  return value
}

export function optionalBoolean(what: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') invalid(what, value, 'true or false')
  return value as boolean | undefined
}

export function optionalFunction<F extends (...args: never[]) => unknown>(what: string, value: unknown): F | undefined {
  if (value !== undefined && typeof value !== 'function') invalid(what, value, 'a function')
  return value as F | undefined
}

/** A whole number in [min, max], or `fallback` when undefined. */
export function wholeNumber(what: string, value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalid(what, value, `a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}`)
  }
  return value
}

/** A file path argument: a non-empty string. */
export function filePath(call: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) invalid(`The path given to ${call}`, value, 'a non-empty string naming a file')
  return value
}

export interface AddAllArguments {
  upsert: boolean
  onProgress?: (done: number, total: number) => void
  progressEvery: number
}

export function addAllArguments(call: string, options: { upsert?: unknown; onProgress?: unknown; progressEvery?: unknown } | undefined): AddAllArguments {
  const o = optionsObject(call, options)
  return {
    upsert: optionalBoolean(`Option upsert of ${call}`, o.upsert) ?? false,
    onProgress: optionalFunction(`Option onProgress of ${call}`, o.onProgress),
    progressEvery: wholeNumber(`Option progressEvery of ${call}`, o.progressEvery, 500, 1),
  }
}
