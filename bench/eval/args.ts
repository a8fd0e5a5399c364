/** A small argv parser shared by bench/eval.ts and bench/eval/ablate.ts. */
import { readFileSync, existsSync } from 'node:fs'

export interface ParsedArgs {
  /** Flag → values (a flag given without a value has []). Repeated flags accumulate. */
  flags: Map<string, string[]>
}

/**
 * `--name value…` pairs: each flag takes every following argument that does not start with `--`
 * (so `--distractors a.jsonl b.jsonl` and `--distractors a.jsonl --distractors b.jsonl` both work);
 * `--name=value` is accepted too. Flags in `booleans` take no value.
 */
export function parseArgs(argv: readonly string[], booleans: ReadonlySet<string>): ParsedArgs {
  const flags = new Map<string, string[]>()
  let current: string[] | undefined
  for (const arg of argv) {
    if (arg === '--') continue
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2)
      let values = flags.get(name)
      if (!values) flags.set(name, (values = []))
      if (eq >= 0) {
        values.push(arg.slice(eq + 1))
        current = undefined
      } else {
        current = booleans.has(name) ? undefined : values
      }
    } else if (current) {
      current.push(arg)
    } else {
      throw new Error(`unexpected argument ${JSON.stringify(arg)}`)
    }
  }
  return { flags }
}

export function one(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name)
  if (!v) return undefined
  if (v.length !== 1) throw new Error(`--${name} takes exactly one value`)
  return v[0]
}

export function int(args: ParsedArgs, name: string, fallback: number): number {
  const v = one(args, name)
  if (v === undefined) return fallback
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got ${v}`)
  return n
}

/** A JSON value given inline or as the path of a JSON file. */
export function jsonArg(args: ParsedArgs, name: string): unknown {
  const v = one(args, name)
  if (v === undefined) return undefined
  const trimmed = v.trim()
  const text = /^[[{]/.test(trimmed) || !existsSync(v) ? v : readFileSync(v, 'utf8')
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new Error(`--${name}: not valid JSON and not a readable JSON file (${(e as Error).message})`)
  }
}
