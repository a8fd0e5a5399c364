import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { SearchEngine, escapeHtml } from '../src/index.js'
import { sampleArticles, sampleEngine, splitsPair } from './helpers.js'
import { findMatches, mentionsAny, mergeRanges } from '../src/highlight/matches.js'

const engine = sampleEngine()

describe('snippets and highlights', () => {
  it('highlights the matched words in title and snippets, with ranges into the snippet text', () => {
    const [hit] = engine.search('雷锋 志愿服务', { limit: 1 }).hits
    expect(hit!.title!.text).toMatch(/^弘扬雷锋精神/)
    expect(hit!.title!.ranges.map((r) => hit!.title!.text.slice(r.start, r.end))).toContain('雷锋')
    expect(hit!.snippets.length).toBeGreaterThan(0)
    expect(hit!.snippets.length).toBeLessThanOrEqual(2)
    const marked = hit!.snippets.flatMap((s) => s.ranges.map((r) => s.text.slice(r.start, r.end)))
    expect(marked).toContain('雷锋')
    expect(marked.some((m) => m.includes('志愿服务'))).toBe(true)
    for (const s of hit!.snippets) expect(s.html).toContain('<mark>')
  })

  it('honours snippet length and count, and marks cuts with an ellipsis', () => {
    const [hit] = engine.search('地效翼船', { limit: 1, snippet: { length: 40, count: 1 } }).hits
    expect(hit!.snippets).toHaveLength(1)
    const s = hit!.snippets[0]!
    expect(s.text.length).toBeLessThanOrEqual(40 + 2)
    expect(s.text.startsWith('…') || s.text.endsWith('…')).toBe(true)
    expect(s.ranges.map((r) => s.text.slice(r.start, r.end)).join('')).toContain('地效')
  })

  it('uses configurable tags and escapes the document text', () => {
    const e = new SearchEngine()
    e.add({ id: 'x', title: '<b>雷锋</b> & 学习', body: '学习<script>alert("雷锋")</script>精神' })
    const [hit] = e.search('雷锋', { highlight: { pre: '[[', post: ']]' } }).hits
    expect(hit!.title!.html).toBe('&lt;b&gt;[[雷锋]]&lt;/b&gt; &amp; 学习')
    expect(hit!.snippets[0]!.html).toContain('&lt;script&gt;alert(&quot;[[雷锋]]&quot;)&lt;/script&gt;')
    expect(hit!.snippets[0]!.html).not.toContain('<script>')
  })

  it('highlights the original traditional characters for a simplified query, and the reverse', () => {
    const e = new SearchEngine()
    e.add({ id: 't', title: '學習雷鋒好榜樣', body: '弘揚雷鋒精神，爭當時代新人。' })
    e.add({ id: 's', title: '学习雷锋好榜样', body: '弘扬雷锋精神，争当时代新人。' })
    const res = e.search('雷锋精神')
    expect(res.hits.map((h) => h.id).sort()).toEqual(['s', 't'])
    const t = res.hits.find((h) => h.id === 't')!
    expect(t.snippets[0]!.ranges.map((r) => t.snippets[0]!.text.slice(r.start, r.end))).toContain('雷鋒精神')
    const back = e.search('雷鋒精神')
    expect(back.hits.map((h) => h.id).sort()).toEqual(['s', 't'])
  })

  it('escapeHtml escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
  })

  it('highlight ranges slice the snippet and never split a surrogate pair (property)', () => {
    const word = fc.constantFrom('雷锋', '精神', '😀', '𠮷野家', 'iPhone15', '学习', '，', '。', ' ', 'ＡＢＣ', '雷鋒', '\ud83d', '志愿')
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 60 }), fc.constantFrom('雷锋', '𠮷', 'iphone15', 'abc', '志愿 精神'), (parts, query) => {
        const body = parts.join('')
        const e = new SearchEngine({ fields: { body: {} } })
        e.add({ id: '1', body })
        for (const hit of e.search(query, { snippet: { length: 20, count: 3 } }).hits) {
          for (const s of hit.snippets) {
            expect(splitsPair(body, s.start)).toBe(false)
            expect(splitsPair(body, s.end)).toBe(false)
            for (const r of s.ranges) {
              expect(r.start).toBeGreaterThanOrEqual(0)
              expect(r.end).toBeLessThanOrEqual(s.text.length)
              expect(splitsPair(s.text, r.start)).toBe(false)
              expect(splitsPair(s.text, r.end)).toBe(false)
              // The highlighted text normalizes to something containing a query term.
              const marked = e.analyzer.normalizeTerm(s.text.slice(r.start, r.end))
              expect(query.split(' ').some((q) => marked.includes(q) || q.includes(marked))).toBe(true)
            }
          }
        }
      }),
      { numRuns: 150, seed: 42 },
    )
  })
})

describe('passages of one field', () => {
  /** Two-character words of the sample's openings: 756 queries, ~110 of which used to give touching passages. */
  const words = [...new Set(engine.ids().flatMap((id) => engine.analyzer.analyze(String(engine.get(id)!.body).slice(0, 400), 'query').map((t) => t.term)))].filter((w) => w.length >= 2)

  it('never touch or overlap: passages that would are merged into one, without fake ellipses between', () => {
    const touching: string[] = []
    for (const w of words) {
      for (const hit of engine.search(w, { limit: 20 }).hits) {
        for (let i = 1; i < hit.snippets.length; i++) {
          const [a, b] = [hit.snippets[i - 1]!, hit.snippets[i]!]
          if (a.field === b.field && a.end >= b.start) touching.push(`${w} ${hit.id}: ${a.start}-${a.end} / ${b.start}-${b.end}`)
        }
      }
    }
    expect(words.length).toBeGreaterThan(500)
    expect(touching.slice(0, 5)).toEqual([])
    // 生产 in a01: the two best sentences are neighbours; one passage now spans both.
    const a01 = engine.search('生产', { limit: 20 }).hits.find((h) => h.id === 'a01')!
    const spanning = a01.snippets.find((s) => s.start <= 141 && s.end > 141)!
    expect(spanning.text).toContain('生产经营等情况。\n“我们企业是2021年')
    expect(spanning.text.slice(1, -1)).not.toContain('…')
  })

  it('each passage names the field it comes from', () => {
    const [hit] = engine.search('雷锋 志愿服务', { limit: 1 }).hits
    expect(hit!.title!.field).toBe('title')
    expect(hit!.snippets.length).toBeGreaterThan(0)
    for (const s of hit!.snippets) expect(s.field).toBe('body')
  })

  it('a field without a match gives no passage, unless fallback asks for its opening', () => {
    const article = sampleArticles().find((a) => a.id === 'a09')!
    const other = sampleArticles().find((a) => a.id === 'a03')!
    expect(String(other.body)).not.toContain('奖励')
    const e = new SearchEngine()
    e.add({ id: 'mixed', title: String(article.title), body: String(other.body) })
    const plain = e.search('奖励').hits[0]!
    expect(plain.title!.ranges.length).toBeGreaterThan(0)
    expect(plain.snippets).toEqual([])
    const opening = e.search('奖励', { snippet: { fallback: true } }).hits[0]!
    expect(opening.snippets).toHaveLength(1)
    expect(opening.snippets[0]!.start).toBe(0)
    expect(opening.snippets[0]!.ranges).toEqual([])
    expect(String(other.body).startsWith(opening.snippets[0]!.text.replace(/…$/, ''))).toBe(true)
  })
})

describe('mentionsAny (the check every returned hit passes)', () => {
  const norm = engine.analyzer.config.normalize
  const a03 = String(sampleArticles().find((a) => a.id === 'a03')!.body)

  it.each([
    ['a term in the text as given', a03, ['雷锋'], 1_000, true],
    ['the folded form of traditional text', '學習雷鋒精神', ['雷锋'], 1_000, true],
    ['the folded form of full-width Latin', 'ＣＯＶＩＤ疫情', ['covid'], 1_000, true],
    ['no term in the text', a03, ['量子计算'], 100_000, false],
    ['an empty term, which every string would contain', a03, [''], 100_000, false],
    ['one of several terms', a03, ['量子计算', '志愿者'], 100_000, true],
    ['a plain match past the scan limit', `${'文'.repeat(50)}雷锋`, ['雷锋'], 10, true],
    ['a folded-only match past the scan limit: cannot tell cheaply', `${'文'.repeat(50)}雷鋒`, ['雷锋'], 10, undefined],
    ['a folded match inside the scan limit', `雷鋒${'文'.repeat(50)}`, ['雷锋'], 10, true],
  ] as const)('%s', (_, text, terms, limit, expected) => {
    expect(mentionsAny(text, terms, norm, limit)).toBe(expected)
  })
})

describe('match ranges', () => {
  const norm = engine.analyzer.config.normalize
  it('mergeRanges sorts, then joins overlapping and touching ranges (雷锋 + 精神 side by side become one)', () => {
    const ranges = [
      { start: 5, end: 8 },
      { start: 0, end: 2 },
      { start: 2, end: 4 },
      { start: 6, end: 7 },
      { start: 10, end: 12 },
      { start: 9, end: 10 },
    ]
    expect(mergeRanges(ranges)).toEqual([
      { start: 0, end: 4 },
      { start: 5, end: 8 },
      { start: 9, end: 12 },
    ])
    expect(ranges[0]).toEqual({ start: 5, end: 8 }) // the input is not changed
  })

  it('a Latin term needs a non-letter (or Han) on both sides; its offsets are the original text\'s', () => {
    const text = '人工智能AI赋能，said与MAIN不算，Ai。'
    const found = findMatches(text, ['ai'], norm)
    expect(found.map((m) => text.slice(m.start, m.end))).toEqual(['AI', 'Ai'])
    expect(found.map((m) => m.start)).toEqual([4, text.length - 3])
  })
})

