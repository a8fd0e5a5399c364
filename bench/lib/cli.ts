/**
 * Tiny argv parser: `--name value`, `--name=value`, `--flag`, and multi-value options that take
 * every following non-option word (`--corpus a.jsonl b.jsonl`) or repeat (`--corpus a --corpus b`).
 */
export function parseCli(argv: string[], multi: readonly string[] = []): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"`)
    const eq = a.indexOf('=')
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2)
    const values = out.get(name) ?? []
    out.set(name, values)
    if (eq > 0) {
      values.push(a.slice(eq + 1))
      continue
    }
    while (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) {
      values.push(argv[++i]!)
      if (!multi.includes(name)) break
    }
  }
  return out
}

export function optNumber(opts: Map<string, string[]>, name: string, fallback: number): number {
  const v = opts.get(name)?.[0]
  if (v === undefined) return fallback
  const n = Number(v)
  if (!Number.isFinite(n)) throw new Error(`--${name} expects a number, got "${v}"`)
  return n
}

export function optString(opts: Map<string, string[]>, name: string): string | undefined {
  return opts.get(name)?.[0]
}
