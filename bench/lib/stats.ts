/** Small numeric helpers shared by run.ts and scale.ts. */

/** Nearest-rank percentile (p in 0..100) of an unsorted list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!
}

export function median(values: readonly number[]): number {
  const xs = values.filter((v) => Number.isFinite(v))
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** Median of each numeric field across runs (fields missing from a run are skipped). */
export function medianRecord(runs: readonly Record<string, unknown>[]): Record<string, number> {
  const keys = new Set<string>()
  for (const r of runs) for (const [k, v] of Object.entries(r)) if (typeof v === 'number') keys.add(k)
  const out: Record<string, number> = {}
  for (const k of keys) out[k] = median(runs.map((r) => r[k]).filter((v): v is number => typeof v === 'number'))
  return out
}

/** Decimal megabyte: all MB and MB/s figures use 10^6 bytes. */
export const MB = 1_000_000

/** Formats a number for a markdown cell; '–' for missing values. */
export function fmt(v: number | undefined, digits = 1): string {
  if (v === undefined || !Number.isFinite(v)) return '–'
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US')
  return v.toFixed(digits)
}

export function markdownTable(header: string[], rows: string[][]): string {
  const align = header.map((_, i) => (i === 0 ? ':--' : '--:'))
  return [header, align, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n')
}
