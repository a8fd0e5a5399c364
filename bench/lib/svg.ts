/**
 * Hand-written SVG line charts (no dependencies): a grid of small panels sharing the x axis,
 * one line per series. Used by bench/scale.ts.
 */
export interface Series {
  name: string
  points: { x: number; y: number }[]
}

export interface Panel {
  title: string
  /** Unit shown after tick labels, e.g. "s", "MB". */
  unit: string
  series: Series[]
}

const COLORS = ['#d62728', '#1f77b4', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b']
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** 0, step, 2·step … covering max, with step 1/2/5 × 10^n. */
function ticks(max: number, target = 5): number[] {
  if (!(max > 0)) return [0, 1]
  const raw = max / target
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!
  const out: number[] = []
  for (let v = 0; v <= max + step * 0.999; v += step) out.push(+v.toPrecision(12))
  return out
}

function label(v: number): string {
  if (v >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`
  if (v >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`
  return String(+v.toPrecision(3))
}

export function lineChartGrid(title: string, xLabel: string, panels: Panel[], columns = 2): string {
  const W = 440, H = 270, m = { l: 62, r: 18, t: 34, b: 44 }
  const rows = Math.ceil(panels.length / columns)
  const names = [...new Set(panels.flatMap((p) => p.series.map((s) => s.name)))]
  const legendH = names.length > 1 ? 22 : 0
  const width = W * columns, height = H * rows + 40 + legendH
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="600">${esc(title)}</text>`,
  ]
  if (legendH) names.forEach((n, i) => {
    const x = 20 + i * 170, y = 40
    out.push(`<rect x="${x}" y="${y}" width="14" height="3" fill="${COLORS[i % COLORS.length]}"/><text x="${x + 20}" y="${y + 5}">${esc(n)}</text>`)
  })
  panels.forEach((p, i) => {
    const ox = (i % columns) * W, oy = 40 + legendH + Math.floor(i / columns) * H
    const pw = W - m.l - m.r, ph = H - m.t - m.b
    const pts = p.series.flatMap((s) => s.points).filter((q) => Number.isFinite(q.y))
    const xt = ticks(Math.max(...pts.map((q) => q.x), 1))
    const yt = ticks(Math.max(...pts.map((q) => q.y), 0) * 1.05)
    const xMax = xt[xt.length - 1]!, yMax = yt[yt.length - 1]!
    const sx = (x: number) => ox + m.l + (x / xMax) * pw
    const sy = (y: number) => oy + m.t + ph - (y / yMax) * ph
    out.push(`<g>`, `<text x="${ox + m.l}" y="${oy + 20}" font-size="13" font-weight="600">${esc(p.title)}</text>`)
    for (const v of yt) {
      out.push(`<line x1="${sx(0)}" x2="${sx(xMax)}" y1="${sy(v)}" y2="${sy(v)}" stroke="#e5e5e5"/>`)
      out.push(`<text x="${sx(0) - 6}" y="${sy(v) + 4}" text-anchor="end" fill="#555">${label(v)}${v === yMax ? ` ${esc(p.unit)}` : ''}</text>`)
    }
    for (const v of xt) out.push(`<text x="${sx(v)}" y="${sy(0) + 16}" text-anchor="middle" fill="#555">${label(v)}</text>`)
    out.push(`<line x1="${sx(0)}" x2="${sx(xMax)}" y1="${sy(0)}" y2="${sy(0)}" stroke="#333"/>`)
    out.push(`<line x1="${sx(0)}" x2="${sx(0)}" y1="${sy(0)}" y2="${sy(yMax)}" stroke="#333"/>`)
    out.push(`<text x="${sx(xMax / 2)}" y="${sy(0) + 34}" text-anchor="middle" fill="#333">${esc(xLabel)}</text>`)
    p.series.forEach((s) => {
      const color = COLORS[names.indexOf(s.name) % COLORS.length]
      const good = s.points.filter((q) => Number.isFinite(q.y))
      if (good.length > 1) out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${good.map((q) => `${sx(q.x).toFixed(1)},${sy(q.y).toFixed(1)}`).join(' ')}"/>`)
      for (const q of good) {
        out.push(`<circle cx="${sx(q.x).toFixed(1)}" cy="${sy(q.y).toFixed(1)}" r="3" fill="${color}"><title>${esc(`${s.name}: ${label(q.x)} docs → ${+q.y.toPrecision(4)} ${p.unit}`)}</title></circle>`)
      }
    })
    out.push(`</g>`)
  })
  out.push('</svg>')
  return out.join('\n')
}
