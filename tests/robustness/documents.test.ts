/**
 * Bad and unusual documents: each gets a clear JiansuoError code or a sensible result — never a
 * crash, a hang, or stored/indexed data that differs from what was given.
 */
import { describe, it, expect } from 'vitest'
import { SearchEngine, escapeHtml, type Snippet, type SearchResult } from '../../src/index.js'
import { caught, isWellFormed, sampleArticles, sampleParagraphs, thrown } from './helpers/common.js'

/** Hits without the timing, for comparing two searches. */
function comparable(result: SearchResult): unknown {
  return { total: result.total, hits: result.hits }
}

/** Our own rendering of a snippet, to check `html` against `text` + `ranges`. */
function render(s: Snippet, pre = '<mark>', post = '</mark>'): string {
  let out = ''
  let at = 0
  for (const r of s.ranges) {
    out += escapeHtml(s.text.slice(at, r.start)) + pre + escapeHtml(s.text.slice(r.start, r.end)) + post
    at = r.end
  }
  return out + escapeHtml(s.text.slice(at))
}

/** Ranges are sorted, inside the text, and each covers (after folding) a term of the query. */
function expectValidHighlights(engine: SearchEngine, s: Snippet, query: string): void {
  const terms = engine.analyzer.analyze(query, 'query').map((t) => t.term)
  let last = 0
  for (const r of s.ranges) {
    expect(r.start).toBeGreaterThanOrEqual(last)
    expect(r.end).toBeGreaterThan(r.start)
    expect(r.end).toBeLessThanOrEqual(s.text.length)
    const covered = engine.analyzer.normalizeTerm(s.text.slice(r.start, r.end))
    expect(terms.some((t) => covered.includes(t)), `range ${JSON.stringify(covered)} covers no query term of ${JSON.stringify(terms)}`).toBe(true)
    last = r.end
  }
  expect(s.html).toBe(render(s))
}

function engineWith(...docs: Record<string, unknown>[]): SearchEngine {
  const engine = new SearchEngine()
  for (const doc of docs) engine.add(doc as { id: string })
  return engine
}

const existing = { id: 'keep', title: '弘扬雷锋精神', body: '志愿服务进社区' }

describe('documents that are not valid are rejected with INVALID_DOCUMENT', () => {
  const notDocuments: [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['a string', '雷锋'],
    ['a number', 42],
    ['an array', [{ id: 'x' }]],
    ['a function', () => ({ id: 'x' })],
    ['no id', { title: '雷锋' }],
    ['an empty id', { id: '', title: '雷锋' }],
    ['an undefined id', { id: undefined, title: '雷锋' }],
    ['a null id', { id: null, title: '雷锋' }],
    ['a numeric id', { id: 5, title: '雷锋' }],
    ['an object id', { id: { a: 1 }, title: '雷锋' }],
    ['an array id', { id: ['a'], title: '雷锋' }],
    ['a boolean id', { id: true, title: '雷锋' }],
    ['a String object id', { id: new String('x'), title: '雷锋' }],
  ]

  it.each(notDocuments)('%s: add, update and addAll all throw INVALID_DOCUMENT, index unchanged', (_, doc) => {
    const engine = engineWith(existing)
    expect(thrown(() => engine.add(doc as never))).toBe('INVALID_DOCUMENT')
    expect(thrown(() => engine.add(doc as never, { upsert: true }))).toBe('INVALID_DOCUMENT')
    expect(thrown(() => engine.update(doc as never))).toBe('INVALID_DOCUMENT')
    expect(thrown(() => engine.addAll([doc as never]))).toBe('INVALID_DOCUMENT')
    expect(engine.ids()).toEqual(['keep'])
    expect(engine.search('雷锋').hits.map((h) => h.id)).toEqual(['keep'])
  })

  const badValues: [string, Record<string, unknown>][] = [
    ['a numeric title', { title: 123 }],
    ['an array body', { body: ['雷锋'] }],
    ['an object body', { body: { text: '雷锋' } }],
    ['a boolean body', { body: true }],
    ['a String object body', { body: new String('雷锋') }],
    ['a BigInt title', { title: 12n }],
    ['a Symbol body', { body: Symbol('雷锋') }],
    ['a Date title', { title: new Date(0) }],
  ]

  it.each(badValues)('%s is INVALID_DOCUMENT and the message names the field', (_, fields) => {
    const engine = engineWith(existing)
    const field = Object.keys(fields)[0]!
    const err = caught(() => engine.add({ id: 'bad', ...fields }))
    expect(err.code).toBe('INVALID_DOCUMENT')
    expect(err.message).toContain(field)
    expect(err.message).toContain('"bad"')
    expect(engine.has('bad')).toBe(false)
    expect(engine.size).toBe(1)
  })

  it('null and missing searchable fields are accepted as empty', () => {
    const engine = engineWith(existing, { id: 'n1', title: null, body: '雷锋' }, { id: 'n2' })
    expect(engine.size).toBe(3)
    expect(engine.get('n1')).toEqual({ id: 'n1', title: null, body: '雷锋' })
    expect(engine.get('n2')).toEqual({ id: 'n2' })
    expect(engine.search('雷锋').hits.map((h) => h.id).sort()).toEqual(['keep', 'n1'])
    expect(engine.remove('n1')).toBe(true)
    expect(engine.remove('n2')).toBe(true)
    expect(engine.search('雷锋').hits.map((h) => h.id)).toEqual(['keep'])
  })

  it('remove() with a non-string id is INVALID_DOCUMENT; an unknown id returns false', () => {
    const engine = engineWith(existing)
    for (const id of [undefined, null, 5, {}, ['keep']]) expect(thrown(() => engine.remove(id as never))).toBe('INVALID_DOCUMENT')
    expect(engine.remove('nope')).toBe(false)
    expect(engine.remove('')).toBe(false)
    expect(engine.size).toBe(1)
  })

  it('update() of an id that is not indexed is NOT_FOUND and adds nothing', () => {
    const engine = engineWith(existing)
    expect(thrown(() => engine.update({ id: 'new', body: '雷锋' }))).toBe('NOT_FOUND')
    expect(engine.ids()).toEqual(['keep'])
  })

  it('has() and get() answer false/undefined for non-string ids instead of throwing', () => {
    const engine = engineWith(existing)
    for (const id of [undefined, null, 5, {}]) {
      expect(engine.has(id as never)).toBe(false)
      expect(engine.get(id as never)).toBeUndefined()
    }
  })
})

describe('duplicate ids', () => {
  it('add() of an indexed id throws DUPLICATE_ID and keeps the first document', () => {
    const engine = engineWith(existing)
    expect(thrown(() => engine.add({ id: 'keep', title: '专利', body: '科技' }))).toBe('DUPLICATE_ID')
    expect(engine.get('keep')).toEqual(existing)
    expect(engine.search('雷锋').total).toBe(1)
    expect(engine.search('专利').total).toBe(0)
  })

  it('{ upsert: true } replaces the document: old words are gone, new words are found', () => {
    const engine = engineWith(existing, { id: 'other', body: '雷锋' })
    engine.add({ id: 'keep', title: '专利', body: '科技创新' }, { upsert: true })
    expect(engine.size).toBe(2)
    expect(engine.get('keep')).toEqual({ id: 'keep', title: '专利', body: '科技创新' })
    expect(engine.search('雷锋').hits.map((h) => h.id)).toEqual(['other'])
    expect(engine.search('志愿').total).toBe(0)
    expect(engine.search('专利').hits.map((h) => h.id)).toEqual(['keep'])
  })

  it('an invalid replacement (update or upsert) keeps the indexed document', () => {
    const engine = engineWith(existing)
    expect(thrown(() => engine.update({ id: 'keep', body: 5 }))).toBe('INVALID_DOCUMENT')
    expect(thrown(() => engine.add({ id: 'keep', title: ['x'] }, { upsert: true }))).toBe('INVALID_DOCUMENT')
    expect(engine.get('keep')).toEqual(existing)
    expect(engine.search('雷锋').hits.map((h) => h.id)).toEqual(['keep'])
  })

  it('update() replaces the document', () => {
    const engine = engineWith(existing)
    engine.update({ id: 'keep', body: '专利' })
    expect(engine.get('keep')).toEqual({ id: 'keep', body: '专利' })
    expect(engine.search('雷锋').total).toBe(0)
    expect(engine.search('专利').total).toBe(1)
  })

  it('addAll(): a repeated id in the batch or an indexed id is DUPLICATE_ID; upsert replaces indexed ones', () => {
    const engine = engineWith(existing)
    expect(thrown(() => engine.addAll([{ id: 'a', body: '甲' }, { id: 'a', body: '乙' }]))).toBe('DUPLICATE_ID')
    expect(thrown(() => engine.addAll([{ id: 'a', body: '甲' }, { id: 'a', body: '乙' }], { upsert: true }))).toBe('DUPLICATE_ID')
    expect(thrown(() => engine.addAll([{ id: 'a', body: '甲' }, { id: 'keep', body: '专利' }]))).toBe('DUPLICATE_ID')
    expect(engine.ids()).toEqual(['keep'])
    engine.addAll([{ id: 'a', body: '甲' }, { id: 'keep', body: '专利' }], { upsert: true })
    expect(engine.ids().sort()).toEqual(['a', 'keep'])
    expect(engine.get('keep')).toEqual({ id: 'keep', body: '专利' })
    expect(engine.search('雷锋').total).toBe(0)
  })
})

describe('a rejected addAll batch leaves the index unchanged', () => {
  const good = { id: 'g1', title: '专利', body: '科技创新' }
  const batches: [string, unknown][] = [
    ['a null document last', [good, null]],
    ['an empty id in the middle', [good, { id: '', body: 'x' }, { id: 'g2', body: 'y' }]],
    ['a non-string field', [good, { id: 'g2', body: 5 }]],
    ['a repeated id', [good, { ...good }]],
    ['an already indexed id', [good, { id: 'a03', body: '覆盖' }]],
    ['a stored value that cannot be saved', [good, { id: 'g2', body: '科技', extra: 1n }]],
  ]

  it.each(batches)('%s', (_, batch) => {
    const engine = new SearchEngine()
    engine.addAll(sampleArticles().slice(0, 4))
    const before = engine.toBytes()
    const ids = engine.ids()
    const result = comparable(engine.search('雷锋 精神'))
    const code = thrown(() => engine.addAll(batch as never))
    expect(['INVALID_DOCUMENT', 'DUPLICATE_ID']).toContain(code)
    expect(engine.ids()).toEqual(ids)
    expect(engine.search('专利').total).toBe(0)
    expect(comparable(engine.search('雷锋 精神'))).toEqual(result)
    expect(engine.toBytes()).toEqual(before)
  })

  it('with { upsert: true }, a batch that fails validation replaces nothing', () => {
    const engine = new SearchEngine()
    engine.addAll(sampleArticles().slice(0, 4))
    const before = engine.toBytes()
    expect(thrown(() => engine.addAll([{ id: 'a03', body: '覆盖' }, { id: 'x', title: 1 }], { upsert: true }))).toBe('INVALID_DOCUMENT')
    expect(engine.get('a03')).toEqual(sampleArticles()[2])
    expect(engine.toBytes()).toEqual(before)
  })

  it.each([
    ['null', null],
    ['a number', 42],
    ['an object that is not iterable', { id: 'x', body: '雷锋' }],
  ])('addAll(%s) is a JiansuoError, not a TypeError', (_, input) => {
    const engine = engineWith(existing)
    expect(['INVALID_DOCUMENT', 'INVALID_OPTION']).toContain(thrown(() => engine.addAll(input as never)))
    expect(engine.ids()).toEqual(['keep'])
  })
})

describe('fields outside the schema', () => {
  const doc = {
    id: 'u1',
    title: '雷锋',
    body: '志愿服务',
    note: '专利 科技',
    tags: ['专利', '创新'],
    count: 3,
    ratio: -0.5,
    flag: false,
    nested: { deep: { list: [1, '二', null, { x: [] }] } },
    nothing: null,
  }

  it('are stored and returned, but not searchable', () => {
    const engine = engineWith(doc)
    expect(engine.get('u1')).toEqual(doc)
    expect(engine.search('专利').total).toBe(0)
    expect(engine.search('创新').total).toBe(0)
    const hit = engine.search('雷锋').hits[0]!
    expect(hit.doc).toEqual(doc)
  })

  it('survive toBytes / fromBytes unchanged', () => {
    const engine = SearchEngine.fromBytes(engineWith(doc).toBytes())
    expect(engine.get('u1')).toEqual(doc)
    expect(engine.search('专利').total).toBe(0)
  })

  it('store: false keeps only the searchable fields; store: [names] keeps those too', () => {
    const none = new SearchEngine({ store: false })
    none.add(doc)
    expect(none.get('u1')).toEqual({ id: 'u1', title: '雷锋', body: '志愿服务' })
    const some = new SearchEngine({ store: ['note'] })
    some.add(doc)
    expect(some.get('u1')).toEqual({ id: 'u1', title: '雷锋', body: '志愿服务', note: '专利 科技' })
    expect(some.search('专利').total).toBe(0)
  })

  // Values plain JSON cannot hold. Either add() refuses them (INVALID_DOCUMENT), or the document
  // reads back the same before and after a save: never a raw TypeError from add() or toBytes(), and
  // never a document that silently changes (a Date turning into a string) once the index is saved.
  const notJson: [string, () => Record<string, unknown>][] = [
    ['a BigInt', () => ({ id: 'v', body: '雷锋', extra: 12345678901234567890n })],
    ['a Date', () => ({ id: 'v', body: '雷锋', extra: new Date(0) })],
    ['NaN', () => ({ id: 'v', body: '雷锋', extra: NaN })],
    ['Infinity', () => ({ id: 'v', body: '雷锋', extra: [Infinity] })],
    ['a Map', () => ({ id: 'v', body: '雷锋', extra: new Map([['k', 1]]) })],
    ['undefined inside an array', () => ({ id: 'v', body: '雷锋', extra: [1, undefined, 3] })],
    ['a Symbol', () => ({ id: 'v', body: '雷锋', extra: Symbol('x') })],
    ['a function', () => ({ id: 'v', body: '雷锋', extra: () => 1 })],
    [
      'a circular object',
      () => {
        const d: Record<string, unknown> = { id: 'v', body: '雷锋' }
        d.self = d
        return d
      },
    ],
  ]
  it.each(notJson)('%s is refused with INVALID_DOCUMENT, or reads back the same after a save', (_, make) => {
    const engine = engineWith(existing)
    const addError = thrown(() => engine.add(make() as { id: string }))
    if (addError !== undefined) {
      expect(addError).toBe('INVALID_DOCUMENT')
      expect(engine.ids()).toEqual(['keep'])
      expect(thrown(() => engine.toBytes())).toBeUndefined()
      return
    }
    const before = engine.get('v')
    let bytes: Uint8Array | undefined
    expect(thrown(() => (bytes = engine.toBytes()))).toBeUndefined()
    expect(engine.get('v')).toEqual(before)
    expect(SearchEngine.fromBytes(bytes!).get('v')).toEqual(before)
  })

  it('a "__proto__" key (as JSON.parse makes it) is stored as data and cannot fake a searchable field', () => {
    const engine = new SearchEngine()
    const doc = JSON.parse('{"id":"p","body":"雷锋精神","__proto__":{"title":"伪造标题"}}') as { id: string }
    engine.add(doc)
    const stored = engine.get('p')!
    expect(Object.keys(stored)).toEqual(Object.keys(doc))
    expect(stored.title).toBeUndefined()
    const hit = engine.search('雷锋').hits[0]!
    expect(hit.title).toBeUndefined()
    expect(SearchEngine.fromBytes(engine.toBytes()).get('p')).toEqual(stored)
  })
})

describe('the index cannot be corrupted through document objects', () => {
  it('mutating a document returned by get() or a hit does not break remove() or search()', () => {
    const engine = engineWith({ id: 'm', body: '雷锋精神' }, { id: 'n', body: '雷锋' })
    const stored = engine.get('m')!
    try {
      stored.body = '其他内容'
    } catch {
      // A frozen stored document is a fine answer too.
    }
    const hit = engine.search('雷锋').hits.find((h) => h.id === 'n')!
    try {
      hit.doc.body = '无关'
    } catch {
      // Same.
    }
    engine.remove('m')
    expect(thrown(() => engine.search('精神'))).toBeUndefined()
    expect(engine.search('精神').total).toBe(0)
    expect(engine.search('雷锋').hits.map((h) => h.id)).toEqual(['n'])
  })

  it('mutating the added object afterwards does not change what is indexed or removed', () => {
    const engine = new SearchEngine()
    const doc = { id: 'm', body: '雷锋精神' }
    engine.add(doc)
    doc.body = '专利'
    expect(engine.search('专利').total).toBe(0)
    expect(engine.get('m')!.body).toBe('雷锋精神')
    engine.remove('m')
    expect(engine.search('精神').total).toBe(0)
  })

  it('searchable fields inherited from a prototype (class getters) are stored as they were indexed', () => {
    class Article {
      constructor(
        public id: string,
        public body: string,
      ) {}
      get title(): string {
        return '雷锋'
      }
    }
    const engine = new SearchEngine()
    engine.add(new Article('c1', '志愿服务') as never)
    engine.add({ id: 'c2', title: '雷锋', body: '学习' })
    // What is indexed must be what is stored: either both have the title or neither does.
    const indexedTitle = engine.search('雷锋').hits.some((h) => h.id === 'c1')
    expect(engine.get('c1')!.title === '雷锋').toBe(indexedTitle)
    engine.remove('c1')
    expect(thrown(() => engine.search('雷锋'))).toBeUndefined()
    expect(engine.search('雷锋').hits.map((h) => h.id)).toEqual(['c2'])
  })
})

describe('unusual text is indexed and highlighted correctly', () => {
  interface Case {
    name: string
    title?: string
    body: string
    /** Queries that must find the document. */
    finds: string[]
    /** Queries that must not error and find nothing. */
    misses?: string[]
  }
  const cases: Case[] = [
    { name: 'empty strings', title: '', body: '', finds: [], misses: ['', '雷锋'] },
    { name: 'lone surrogates', title: '\udc00标题', body: '雷锋\ud800精神 \udc00 专利\ud83d', finds: ['精神', '雷锋', '专利', '标题'] },
    {
      name: 'NUL and control characters',
      body: 'a\u0000b 雷锋\u0007\u001b[31m精神\u0000\r\n\u0085\u2028\u200b志愿\ufeff服务\u0008',
      finds: ['雷锋', '精神', '志愿服务'],
      misses: ['\u0000', '\u0007\u001b'],
    },
    {
      name: 'emoji',
      title: '😀雷锋👍🏽',
      body: '雷锋👍🏽精神😀 🇨🇳 家庭👨‍👩‍👧志愿服务 🧑🏿‍🚀',
      finds: ['雷锋', '精神', '志愿服务'],
      misses: ['😀', '👨‍👩‍👧', '🇨🇳'],
    },
    {
      name: 'mixed scripts',
      body: 'COVID-19疫情防控，iPhone15发布。Привет мир！東京タワー café naïve ＡＢＣ２０２４ 한국어',
      finds: ['covid', 'COVID-19', '疫情', 'iphone15', 'привет', 'ПРИВЕТ', 'café', 'abc2024', '东京', '한국어'],
    },
    {
      name: 'right-to-left text',
      title: 'שלום עולם',
      body: 'مرحبا بالعالم، هذا نص عربي. 雷锋精神 — ‏שלום‏ עולם ‎(RTL)‎ مرحبا',
      finds: ['مرحبا', 'بالعالم', 'שלום', 'עולם', '雷锋', 'rtl'],
    },
    { name: 'very long words', body: `${'x'.repeat(5000)} 雷锋 ${'雷'.repeat(3000)}`, finds: ['雷锋'] },
  ]

  it.each(cases)('$name: stored as given, found, highlighted within bounds', (c) => {
    const engine = engineWith(existing)
    const doc = { id: `case-${c.name}`, ...(c.title !== undefined ? { title: c.title } : {}), body: c.body }
    expect(thrown(() => engine.add(doc))).toBeUndefined()
    expect(engine.get(doc.id)).toEqual(doc)
    for (const q of c.finds) {
      const result = engine.search(q)
      const hit = result.hits.find((h) => h.id === doc.id)
      expect(hit, `query ${JSON.stringify(q)} should find the document`).toBeDefined()
      for (const s of [...(hit!.title ? [hit!.title] : []), ...hit!.snippets]) {
        expectValidHighlights(engine, s, q)
        if (isWellFormed(c.body) && isWellFormed(c.title ?? '')) expect(isWellFormed(s.text)).toBe(true)
      }
      expect(hit!.snippets.length + (hit!.title ? 1 : 0)).toBeGreaterThan(0)
    }
    for (const q of c.misses ?? []) {
      const result = engine.search(q)
      expect(result.hits.map((h) => h.id)).not.toContain(doc.id)
    }
    expect(engine.remove(doc.id)).toBe(true)
    expect(engine.ids()).toEqual(['keep'])
    for (const q of c.finds) expect(engine.search(q).hits.map((h) => h.id)).not.toContain(doc.id)
  })

  it.each(cases)('$name: survives toBytes / fromBytes with the same document and results', (c) => {
    const engine = engineWith(existing)
    const doc = { id: `case-${c.name}`, ...(c.title !== undefined ? { title: c.title } : {}), body: c.body }
    engine.add(doc)
    const loaded = SearchEngine.fromBytes(engine.toBytes())
    expect(loaded.ids()).toEqual(engine.ids())
    expect(loaded.get(doc.id)).toEqual(doc)
    for (const q of c.finds) expect(comparable(loaded.search(q))).toEqual(comparable(engine.search(q)))
  })

  it('ids with NUL, emoji and RTL characters are kept exactly, also through toBytes / fromBytes', () => {
    const ids = ['a\u0000b', '😀', 'مرحبا', ' ', '\t', 'x'.repeat(10_000), 'id "quoted" <b>']
    const engine = new SearchEngine()
    for (const id of ids) engine.add({ id, body: `雷锋 ${id}` })
    expect(engine.ids()).toEqual(ids)
    const loaded = SearchEngine.fromBytes(engine.toBytes())
    expect(loaded.ids()).toEqual(ids)
    expect(loaded.search('雷锋', { limit: 100 }).total).toBe(ids.length)
  })

  it('ids with lone surrogates (broken UTF-16) are rejected, so a saved file always reloads', () => {
    const engine = new SearchEngine()
    expect(thrown(() => engine.add({ id: 'x\ud800', body: '雷锋' }))).toBe('INVALID_DOCUMENT')
    expect(thrown(() => engine.add({ id: 'x\udc00', body: '精神' }))).toBe('INVALID_DOCUMENT')
    engine.add({ id: 'x😀', body: '雷锋' })
    expect(SearchEngine.fromBytes(engine.toBytes()).ids()).toEqual(['x😀'])
  })

  it('HTML in text is escaped in snippet html, and ranges index the snippet text', () => {
    const engine = new SearchEngine()
    engine.add({
      id: 'h',
      title: '<b>雷锋</b> & "朋友"',
      body: '<p>弘扬雷锋精神</p><script>alert("雷锋")</script> <img src=x onerror=alert(1)> &amp; 结束',
    })
    const hit = engine.search('雷锋').hits[0]!
    const title = hit.title!
    expect(title.text).toBe('<b>雷锋</b> & "朋友"')
    expect(title.html).toBe('&lt;b&gt;<mark>雷锋</mark>&lt;/b&gt; &amp; &quot;朋友&quot;')
    expect(title.ranges.map((r) => title.text.slice(r.start, r.end))).toEqual(['雷锋'])
    const snippet = hit.snippets[0]!
    expect(snippet.text).toContain('<script>')
    expect(snippet.html).toContain('&lt;script&gt;')
    expect(snippet.html).not.toMatch(/<(?!\/?mark>)/u)
    expect(snippet.ranges.length).toBeGreaterThan(0)
    for (const r of snippet.ranges) expect(snippet.text.slice(r.start, r.end)).toBe('雷锋')
    expect(snippet.html).toBe(render(snippet))
    // Custom tags are inserted as given; the text around them is still escaped.
    const custom = engine.search('雷锋', { highlight: { pre: '[[', post: ']]' } }).hits[0]!.snippets[0]!
    expect(custom.html).toBe(render(custom, '[[', ']]'))
    expect(custom.html).toContain('[[雷锋]]')
  })
})

describe('large documents', () => {
  it('a 10 MB body indexes, is searchable, and round-trips in reasonable time', { timeout: 240_000 }, () => {
    const paras = sampleParagraphs()
    const parts: string[] = []
    let bytes = 0
    for (let i = 0; bytes < 10 * 2 ** 20; i++) {
      const p = `${paras[i % paras.length]!}\n`
      parts.push(p)
      bytes += Buffer.byteLength(p)
    }
    const body = parts.join('')
    const engine = new SearchEngine()
    engine.addAll(sampleArticles())

    let t = performance.now()
    engine.add({ id: 'big', title: '十兆字节的大文档', body })
    const addMs = performance.now() - t
    // nodejieba segments roughly 1 MB of Chinese per second; leave room for a busy machine.
    expect(addMs).toBeLessThan(90_000)
    expect(engine.get('big')!.body).toBe(body)

    t = performance.now()
    const plain = engine.search('大文档 专利', { snippet: false })
    expect(performance.now() - t).toBeLessThan(2_000)
    expect(plain.hits.map((h) => h.id)).toContain('big')
    expect(engine.search('"文明行为促进条例"', { snippet: false }).hits.map((h) => h.id)).toContain('big')

    t = performance.now()
    const withSnippets = engine.search('大文档', { limit: 1, snippet: { fallback: true } }) // the title matches: the body shows its opening
    const snippetMs = performance.now() - t
    const hit = withSnippets.hits[0]!
    expect(hit.id).toBe('big')
    expect(hit.snippets.length).toBeGreaterThan(0)
    for (const s of hit.snippets) expect(s.text.length).toBeLessThanOrEqual(120 * 1.25 + 2)
    expect(snippetMs).toBeLessThan(20_000)

    t = performance.now()
    const loaded = SearchEngine.fromBytes(engine.toBytes())
    expect(performance.now() - t).toBeLessThan(20_000)
    expect(loaded.get('big')!.body).toBe(body)
    expect(loaded.search('大文档', { snippet: false }).hits[0]!.id).toBe('big')
  })

  it('snippets of a body with many short sentences and many matches are fast (not quadratic)', () => {
    // 30,000 sentences, 30,000 matches of 雷锋: 150,000 characters, a modest article collection.
    const engine = new SearchEngine()
    engine.add({ id: 'many', body: '雷锋精神。'.repeat(30_000) })
    const t = performance.now()
    const result = engine.search('雷锋', { limit: 1 })
    const ms = performance.now() - t
    expect(result.hits[0]!.snippets.length).toBeGreaterThan(0)
    expect(ms).toBeLessThan(1_500)
  })
})
