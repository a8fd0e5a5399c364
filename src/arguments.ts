/**
 * Checks for the arguments of public calls (options objects, paths, callbacks), so a wrong
 * argument is an INVALID_OPTION naming the value — never a TypeError from deep inside.
 * Engine construction options are resolved in `options.ts`; these are the per-call ones.
 */
import { JiansuoError, describeValue } from './errors.js'

function invalid(what: string, value: unknown, expected: string): never {
  throw new JiansuoError('INVALID_OPTION', `${what} is ${describeValue(value)}; expected ${expected}.`)
}

/**
 * An options argument: `undefined` (none) or a plain object whose keys are all in `known` (an
 * unknown key is a mistake — `{ filter }` silently ignored returns the wrong page).
 */
export function optionsObject<T extends object>(call: string, value: T | undefined, known: readonly string[]): Partial<T> {
  if (value === undefined) return {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(`The options of ${call}`, value, 'an object (or nothing)')
  checkKeys(`of ${call}`, value, known)
  return value
}

/** Throw INVALID_OPTION for the first own key of `value` not in `known`, suggesting a close one. */
export function checkKeys(where: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue
    const close = closest(key, known)
    throw new JiansuoError(
      'INVALID_OPTION',
      `Unknown option ${JSON.stringify(key)} ${where}${close ? `; did you mean ${JSON.stringify(close)}?` : '.'} It takes: ${known.join(', ')}.`,
    )
  }
}

/** The known name within a small edit distance of `key` (or equal ignoring case), if any. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const name of known) {
    const [k, n] = [key.toLowerCase(), name.toLowerCase()]
    // Equal ignoring case, or a part of the name (prefix → idPrefix): as good as a typo.
    const d = k === n || (k.length >= 3 && n.includes(k)) ? 0 : editDistance(key, name)
    if (d < bestDistance) [best, bestDistance] = [name, d]
  }
  return bestDistance <= Math.max(1, Math.floor(Math.min(key.length, best?.length ?? 0) / 3)) ? best : undefined
}

/** Levenshtein distance, adjacent swaps counting one (option names are short). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1)
      d[i]![j] = v
    }
  }
  return d[a.length]![b.length]!
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

export const ADD_ALL_OPTIONS = ['upsert', 'onProgress', 'progressEvery'] as const

export function addAllArguments(
  call: string,
  options: { upsert?: unknown; onProgress?: unknown; progressEvery?: unknown } | undefined,
  known: readonly string[] = ADD_ALL_OPTIONS,
): AddAllArguments {
  const o = optionsObject(call, options, known)
  return {
    upsert: optionalBoolean(`Option upsert of ${call}`, o.upsert) ?? false,
    onProgress: optionalFunction(`Option onProgress of ${call}`, o.onProgress),
    progressEvery: wholeNumber(`Option progressEvery of ${call}`, o.progressEvery, 500, 1),
  }
}
