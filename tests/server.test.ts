/** The HTTP service: every route, status and error, writes with the token, saves and shutdown, and `jiansuo serve`. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { spawn } from 'node:child_process'
import http from 'node:http'
import net from 'node:net'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SearchEngine, VERSION, createServer, type SearchOptions } from '../src/index.js'
import { call, comparable, start, typedEngine, type Running } from './helpers-server.js'

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const AUTH = { authorization: 'Bearer s3cret' }
const json = (value: unknown) => encodeURIComponent(JSON.stringify(value))

/** Poll until `check` holds (saves happen on a timer). */
async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** `jiansuo serve` in a child process, once it says where it listens. */
async function serve(args: string[]) {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, JIANSUO_TOKEN: '' } })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  await until(() => / on http:\/\/127\.0\.0\.1:\d+ /.test(stderr) || child.exitCode !== null, 60_000)
  const port = / on http:\/\/127\.0\.0\.1:(\d+) /.exec(stderr)?.[1]
  if (!port) throw new Error(`jiansuo serve did not start: ${stderr}`)
  return { child, base: `http://127.0.0.1:${port}`, stderr: () => stderr, exited }
}

describe('GET routes (read-only server)', () => {
  let engine: SearchEngine
  let srv: Running
  beforeAll(async () => {
    engine = typedEngine()
    srv = await start(engine)
  })
  afterAll(() => srv.close())

  const cases: [string, string, string, SearchOptions][] = [
    ['a query', 'q=雷锋', '雷锋', {}],
    ['paging', 'q=活动&limit=5&offset=10', '活动', { limit: 5, offset: 10 }],
    ['a filter (JSON)', `q=活动&filter=${json({ reporters: '李华' })}`, '活动', { filter: { reporters: '李华' } }],
    ['a date range filter', `q=活动&filter=${json({ date: { gte: '2023-03', lte: '2023-08' } })}`, '活动', { filter: { date: { gte: '2023-03', lte: '2023-08' } } }],
    ['sort in comma form', 'q=活动&sort=date:desc,_score', '活动', { sort: ['date:desc', '_score'] }],
    ['sort as JSON', `q=活动&sort=${json([{ date: 'asc' }, '_score'])}`, '活动', { sort: [{ date: 'asc' }, '_score'] }],
    ['facets as JSON', `q=活动&limit=0&facets=${json({ reporters: { limit: 3 }, date: { interval: 'month' } })}`, '活动', { limit: 0, facets: { reporters: { limit: 3 }, date: { interval: 'month' } } }],
    ['facets in comma form', 'q=活动&facets=reporters:2,date', '活动', { facets: { reporters: { limit: 2 }, date: true } }],
    ['fields', 'q=雷锋&fields=title', '雷锋', { fields: ['title'] }],
    ['explain', 'q=雷锋 精神&explain=true', '雷锋 精神', { explain: true }],
    ['no query but a filter: the documents that pass', `filter=${json({ date: '2023' })}&sort=date:asc`, '', { filter: { date: '2023' }, sort: 'date:asc' }],
    ['an empty query alone: nothing', 'q=', '', {}],
  ]
  it.each(cases)('/search with %s answers exactly engine.search()', async (_name, query, q, options) => {
    const res = await call(srv.base, `/search?${query.replace(/[^&=]+/gu, (part) => (/%/.test(part) ? part : encodeURIComponent(part)))}`)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    const expected = engine.search(q, options)
    expect(comparable(res.body)).toEqual(comparable(expected))
    expect(typeof res.body.took).toBe('number')
  })

  it('a query with more than a page of hits pages through every hit once, in order', async () => {
    const all = engine.search('活动', { limit: 100 }).hits.map((h) => h.id)
    expect(all.length).toBeGreaterThan(20)
    const pages: string[] = []
    for (let offset = 0; offset < all.length; offset += 10) {
      const res = await call(srv.base, `/search?q=${encodeURIComponent('活动')}&offset=${offset}`)
      expect(res.body.total).toBe(all.length)
      expect(res.body.hits.length).toBe(Math.min(10, all.length - offset))
      pages.push(...res.body.hits.map((h: { id: string }) => h.id))
    }
    expect(pages).toEqual(all)
  })

  it('search hits carry highlighted titles and snippets (the engine escapes text, <mark> around matches)', async () => {
    const res = await call(srv.base, `/search?q=${encodeURIComponent('雷锋')}`)
    expect(res.body.total).toBe(2)
    for (const hit of res.body.hits) {
      expect(hit.title.html).toContain('<mark>雷锋</mark>')
      expect(hit.snippets.length).toBeGreaterThan(0)
    }
  })

  const errors: [string, string, number, string, RegExp][] = [
    ['filter that is not JSON', 'q=a&filter={date:2024}', 400, 'INVALID_OPTION', /filter.*JSON/],
    ['facets on an untyped field', `q=a&facets=${json({ title: true })}`, 400, 'UNKNOWN_FIELD', /facets names "title"/],
    ['a facet on a field that does not exist (comma form)', 'q=a&facets=nope', 400, 'UNKNOWN_FIELD', /nope/],
    ['sort on an unknown field', 'q=a&sort=views:desc', 400, 'UNKNOWN_FIELD', /sort names "views"/],
    ['a filter of the wrong shape', `q=a&filter=${json([1])}`, 400, 'INVALID_OPTION', /filter/],
    ['limit that is not a number', 'q=a&limit=ten', 400, 'INVALID_OPTION', /limit is "ten"/],
    ['a negative offset', 'q=a&offset=-1', 400, 'INVALID_OPTION', /offset/],
    ['a misspelt parameter', 'q=a&limt=5', 400, 'INVALID_OPTION', /did you mean "limit"/],
    ['a repeated parameter', 'q=a&q=b', 400, 'INVALID_OPTION', /given once/],
    ['explain that is not a flag', 'q=a&explain=maybe', 400, 'INVALID_OPTION', /explain/],
    ['broken syntax in strict mode', `q=${encodeURIComponent('"雷锋')}&strict=true`, 400, 'INVALID_QUERY', /unclosed quote/],
    ['an unknown field in the query, strict mode', `q=${encodeURIComponent('nope:雷锋')}&strict=1`, 400, 'UNKNOWN_FIELD', /nope/],
  ]
  it.each(errors)('/search with %s (%s) → %i %s', async (_name, query, status, code, message) => {
    const res = await call(srv.base, `/search?${query}`)
    expect(res.status).toBe(status)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(res.body.error.code).toBe(code)
    expect(res.body.error.message).toMatch(message)
  })

  it('GET /doc/:id gives the stored document, 404 NOT_FOUND when there is none', async () => {
    const res = await call(srv.base, '/doc/a03')
    expect(res.status).toBe(200)
    expect(res.body).toEqual(engine.get('a03'))
    expect(res.body.date).toBe('2024-03-06')
    const missing = await call(srv.base, '/doc/nope')
    expect(missing.status).toBe(404)
    expect(missing.body.error).toEqual({ code: 'NOT_FOUND', message: expect.stringContaining('"nope"') })
    const badEncoding = await call(srv.base, '/doc/%E4%B8')
    expect(badEncoding.status).toBe(400)
    expect(badEncoding.body.error.code).toBe('BAD_REQUEST')
  })

  it('GET /suggest answers engine.suggest() as { suggestions }; a bad limit is 400 INVALID_OPTION', async () => {
    const res = await call(srv.base, `/suggest?q=${encodeURIComponent('雷锋')}&limit=3`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ suggestions: engine.suggest('雷锋', { limit: 3 }) })
    expect(res.body.suggestions[0].text).toBe('雷锋精神')
    expect((await call(srv.base, '/suggest')).body).toEqual({ suggestions: [] })
    const bad = await call(srv.base, `/suggest?q=${encodeURIComponent('雷')}&limit=lots`)
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('INVALID_OPTION')
  })

  it('GET /health and GET /schema', async () => {
    const health = await call(srv.base, '/health')
    expect(health.status).toBe(200)
    expect(health.body).toEqual({ status: 'ok', documents: engine.size, terms: engine.termCount, version: VERSION })
    expect(health.body.documents).toBe(26)
    const schema = await call(srv.base, '/schema')
    expect(schema.body.columns).toEqual([{ name: 'date', type: 'date' }, { name: 'reporters', type: 'keyword' }])
    expect(schema.body.fields.map((f: { name: string }) => f.name)).toEqual(['title', 'body'])
    expect(schema.body.writable).toBe(false)
  })

  it('GET / is the search page: HTML with a policy that runs only its own script', async () => {
    const res = await call(srv.base, '/?q=x')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.body).toMatch(/^<!doctype html>/)
    expect(res.body).toContain('<html lang="zh-CN">')
    expect(res.body).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|https?:\/\//)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toMatch(/default-src 'none'/)
    expect(csp).toMatch(/script-src 'sha256-[^']+'/)
    expect(csp).not.toContain('unsafe-inline')
  })

  it('writes on a server without a token are 403 READ_ONLY, bearer or not', async () => {
    for (const [method, path, body] of [['PUT', '/doc/z1', '{"title":"t","body":"b"}'], ['DELETE', '/doc/a03', undefined], ['POST', '/docs', '{"id":"z2","title":"t"}']] as const) {
      const res = await call(srv.base, path, { method, body, headers: AUTH })
      expect(res.status, `${method} ${path}`).toBe(403)
      expect(res.body.error.code).toBe('READ_ONLY')
    }
    expect(engine.has('a03')).toBe(true)
    expect(engine.has('z1')).toBe(false)
  })

  it('an unknown route is 404, a wrong method 405 with Allow, HEAD works where GET does', async () => {
    const unknown = await call(srv.base, '/nope')
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.code).toBe('NOT_FOUND')
    expect((await call(srv.base, '/doc/')).status).toBe(404)
    const wrong = await call(srv.base, '/search?q=a', { method: 'POST' })
    expect(wrong.status).toBe(405)
    expect(wrong.body.error.code).toBe('METHOD_NOT_ALLOWED')
    expect(wrong.headers.get('allow')).toBe('GET, HEAD')
    const patch = await call(srv.base, '/doc/a03', { method: 'PATCH' })
    expect(patch.status).toBe(405)
    expect(patch.headers.get('allow')).toBe('GET, HEAD, PUT, DELETE')
    expect((await call(srv.base, '/docs')).status).toBe(405)
    const head = await call(srv.base, '/health', { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
  })

  it('a request node:http cannot parse gets a JSON 400 too', async () => {
    const { port } = new URL(srv.base)
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = new net.Socket()
      let data = ''
      socket.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')))
      socket.on('end', () => resolve(data))
      socket.on('error', reject)
      socket.connect(Number(port), '127.0.0.1', () => socket.write(Buffer.from('GET /search?q=雷锋 HTTP/1.1\r\nHost: x\r\n\r\n', 'utf8')))
    })
    expect(raw).toMatch(/^HTTP\/1\.1 400 /)
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)).error.code).toBe('BAD_REQUEST')
  })

  it('logs one line per request: method, path, status, milliseconds', async () => {
    srv.logs.length = 0
    await call(srv.base, '/health')
    await call(srv.base, '/nope')
    expect(srv.logs).toHaveLength(2)
    expect(srv.logs[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z GET \/health 200 \d+\.\dms$/)
    expect(srv.logs[1]).toMatch(/ GET \/nope 404 /)
  })
})

describe('writes with a token', () => {
  let engine: SearchEngine
  let srv: Running
  beforeAll(async () => {
    engine = typedEngine()
    srv = await start(engine, { token: 's3cret', quiet: true })
  })
  afterAll(() => srv.close())
  const put = (id: string, doc: unknown, headers: Record<string, string> = AUTH) =>
    call(srv.base, `/doc/${encodeURIComponent(id)}`, { method: 'PUT', headers, body: typeof doc === 'string' ? doc : JSON.stringify(doc) })

  it('without the right bearer token a write is 401 and changes nothing', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong' }, { authorization: 's3cret' }, { authorization: 'Basic czNjcmV0' }, { authorization: 'Bearer s3cret2' }]) {
      const res = await put('w1', { title: '无权写入', body: '内容' }, headers)
      expect(res.status, JSON.stringify(headers)).toBe(401)
      expect(res.body.error.code).toBe('UNAUTHORIZED')
      expect(res.headers.get('www-authenticate')).toBe('Bearer')
    }
    expect((await call(srv.base, '/doc/a03', { method: 'DELETE' })).status).toBe(401)
    expect((await call(srv.base, '/docs', { method: 'POST', body: '{"id":"w2"}' })).status).toBe(401)
    expect(engine.has('w1')).toBe(false)
    expect(engine.has('a03')).toBe(true)
  })

  it('PUT /doc/:id adds, then replaces; the next search sees it', async () => {
    const created = await put('w1', { title: '量子通信实验取得新突破', body: '科研团队完成量子通信实验。', date: '2024-05-01', reporters: ['周明'] })
    expect(created.status).toBe(200)
    expect(created.body).toEqual({ id: 'w1', created: true })
    const found = await call(srv.base, `/search?q=${encodeURIComponent('量子通信')}`)
    expect(found.body.hits.map((h: { id: string }) => h.id)).toEqual(['w1'])
    expect((await call(srv.base, '/doc/w1')).body).toEqual({ id: 'w1', title: '量子通信实验取得新突破', body: '科研团队完成量子通信实验。', date: '2024-05-01', reporters: ['周明'] })

    const replaced = await put('w1', { id: 'w1', title: '卫星导航', body: '导航卫星发射成功。' })
    expect(replaced.body).toEqual({ id: 'w1', created: false })
    expect((await call(srv.base, `/search?q=${encodeURIComponent('量子通信')}`)).body.total).toBe(0)
    expect((await call(srv.base, `/search?q=${encodeURIComponent('导航卫星')}`)).body.hits[0].id).toBe('w1')
  })

  it('an id with slashes, spaces and Chinese travels URL-encoded', async () => {
    const id = 'news/2024 年/第1期'
    expect((await put(id, { title: '特殊编号', body: '编号测试' })).status).toBe(200)
    const res = await call(srv.base, `/doc/${encodeURIComponent(id)}`)
    expect(res.body.id).toBe(id)
  })

  it('bad PUT bodies are 400 with the code of what is wrong, and add nothing', async () => {
    const size = engine.size
    const cases: [unknown, string, RegExp][] = [
      ['{"title": ', 'INVALID_INPUT', /not JSON/],
      ['', 'INVALID_INPUT', /not JSON/],
      [[{ title: 'x' }], 'INVALID_DOCUMENT', /JSON object/],
      [{ id: 'other', title: 'x' }, 'INVALID_DOCUMENT', /differs from the id in the URL/],
      [{ title: 5 }, 'INVALID_DOCUMENT', /title/],
      [{ title: 'x', date: '明天' }, 'INVALID_DOCUMENT', /date/],
    ]
    for (const [body, code, message] of cases) {
      const res = await put('w9', body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.error.code).toBe(code)
      expect(res.body.error.message).toMatch(message)
    }
    expect(engine.size).toBe(size)
    expect(engine.has('w9')).toBe(false)
  })

  it('DELETE /doc/:id removes (gone from search and /doc), 404 when missing', async () => {
    expect((await call(srv.base, `/search?q=${encodeURIComponent('专利')}`)).body.hits.map((h: { id: string }) => h.id)).toContain('a09')
    const res = await call(srv.base, '/doc/a09', { method: 'DELETE', headers: AUTH })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ id: 'a09', deleted: true })
    expect((await call(srv.base, `/search?q=${encodeURIComponent('专利')}`)).body.hits.map((h: { id: string }) => h.id)).not.toContain('a09')
    expect((await call(srv.base, '/doc/a09')).status).toBe(404)
    const again = await call(srv.base, '/doc/a09', { method: 'DELETE', headers: AUTH })
    expect(again.status).toBe(404)
    expect(again.body.error.code).toBe('NOT_FOUND')
  })

  it('POST /docs adds JSON Lines (text read as body), all or nothing', async () => {
    const lines = [
      { id: 'b1', title: '高铁新线开通运营', text: '高铁新线今日开通运营，沿线群众出行更便捷。', date: '2024-06-01', reporters: ['周明'] },
      { id: 'b2', title: '高铁站周边道路改造', body: '高铁站周边道路完成改造。', date: '2024-06-02' },
    ]
    const res = await call(srv.base, '/docs', { method: 'POST', headers: AUTH, body: `${lines.map((l) => JSON.stringify(l)).join('\n')}\n` })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body).toEqual({ added: 2 })
    const found = await call(srv.base, `/search?q=${encodeURIComponent('高铁')}&facets=reporters`)
    expect(found.body.hits.map((h: { id: string }) => h.id).sort()).toEqual(['b1', 'b2'])
    expect(found.body.facets.reporters).toEqual([{ value: '周明', count: 1 }])
    expect((await call(srv.base, '/doc/b1')).body.body).toBe('高铁新线今日开通运营，沿线群众出行更便捷。')

    const size = engine.size
    const badJson = await call(srv.base, '/docs', { method: 'POST', headers: AUTH, body: '{"id":"c1","title":"磁悬浮列车"}\n{"id":"c2","title": oops}\n' })
    expect(badJson.status).toBe(400)
    expect(badJson.body.error.code).toBe('INVALID_INPUT')
    expect(badJson.body.error.message).toMatch(/^Line 2 of the body/)
    expect(badJson.body.error.details).toEqual({ line: 2 })
    const badDoc = await call(srv.base, '/docs', { method: 'POST', headers: AUTH, body: '{"id":"c1","title":"磁悬浮列车"}\n\n{"id":"c3","title":"磁悬浮","date":"2024-13-01"}' })
    expect(badDoc.status).toBe(400)
    expect(badDoc.body.error.code).toBe('INVALID_DOCUMENT')
    expect(badDoc.body.error.message).toMatch(/^Line 3 of the body/)
    expect(engine.size).toBe(size)
    expect(engine.has('c1')).toBe(false)
    expect((await call(srv.base, `/search?q=${encodeURIComponent('磁悬浮')}`)).body.total).toBe(0)
  })

  it('/schema says writes are on', async () => {
    expect((await call(srv.base, '/schema')).body.writable).toBe(true)
  })
})

describe('limits and failures', () => {
  it('a body over maxBodyBytes is 413, declared or streamed, and nothing is added', async () => {
    const engine = typedEngine()
    const srv = await start(engine, { token: 's3cret', maxBodyBytes: 1024, quiet: true })
    try {
      const big = JSON.stringify({ title: '长文', body: '很长的正文。'.repeat(200) })
      expect(Buffer.byteLength(big)).toBeGreaterThan(1024)
      const declared = await call(srv.base, '/doc/big', { method: 'PUT', headers: AUTH, body: big })
      expect(declared.status).toBe(413)
      expect(declared.body.error.code).toBe('PAYLOAD_TOO_LARGE')
      // Chunked, no content-length: counted while reading.
      const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(`${srv.base}/docs`, { method: 'POST', headers: { ...AUTH, 'transfer-encoding': 'chunked' } }, (res) => {
          let body = ''
          res.on('data', (c: Buffer) => (body += c))
          res.on('end', () => resolve({ status: res.statusCode!, body }))
        })
        req.on('error', reject)
        for (let i = 0; i < 4; i++) req.write(`${JSON.stringify({ id: `s${i}`, title: '分块', body: '分块上传的正文。'.repeat(20) })}\n`)
        req.end()
      })
      expect(streamed.status).toBe(413)
      expect(JSON.parse(streamed.body).error.code).toBe('PAYLOAD_TOO_LARGE')
      expect(engine.has('big')).toBe(false)
      expect(engine.has('s0')).toBe(false)
      // A body under the limit still works on the same server.
      expect((await call(srv.base, '/doc/small', { method: 'PUT', headers: AUTH, body: '{"title":"短","body":"短文"}' })).status).toBe(200)
    } finally {
      await srv.close()
    }
  })

  it('an unexpected error is 500 INTERNAL, logged, and the server keeps serving', async () => {
    const engine = typedEngine()
    const srv = await start(engine)
    try {
      engine.search = () => {
        throw new TypeError('boom')
      }
      const res = await call(srv.base, `/search?q=${encodeURIComponent('雷锋')}`)
      expect(res.status).toBe(500)
      expect(res.body.error).toEqual({ code: 'INTERNAL', message: expect.any(String) })
      expect(res.body.error.message).not.toContain('boom')
      expect(srv.logs.some((line) => line.includes('TypeError: boom'))).toBe(true)
      expect((await call(srv.base, '/health')).status).toBe(200)
    } finally {
      await srv.close()
    }
  })

  it('createServer checks its arguments', () => {
    const engine = new SearchEngine()
    expect(() => createServer({} as SearchEngine)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    expect(() => createServer(engine, { tokn: 'x' } as never)).toThrow(/did you mean "token"/)
    expect(() => createServer(engine, { token: 'has space' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    expect(() => createServer(engine, { token: '' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    expect(() => createServer(engine, { maxBodyBytes: 0 })).toThrow(/maxBodyBytes/)
    expect(() => createServer(engine, { savePath: '' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
  })
})

describe('saves and shutdown', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jiansuo-serve-'))

  it('a write is saved after the delay (one save for several writes), atomically to savePath', async () => {
    const file = join(dir, 'debounced.jsz')
    const engine = typedEngine()
    let saves = 0
    const save = engine.save.bind(engine)
    engine.save = (path: string) => {
      saves++
      return save(path)
    }
    const srv = await start(engine, { token: 's3cret', savePath: file, saveDelayMs: 1000, quiet: true })
    try {
      for (const id of ['d1', 'd2', 'd3']) {
        expect((await call(srv.base, `/doc/${id}`, { method: 'PUT', headers: AUTH, body: JSON.stringify({ title: `保存测试${id}`, body: '防抖保存' }) })).status).toBe(200)
      }
      expect(existsSync(file)).toBe(false)
      await until(() => existsSync(file))
      await until(() => saves === 1)
      const loaded = await SearchEngine.load(file)
      expect(['d1', 'd2', 'd3'].every((id) => loaded.has(id))).toBe(true)
      expect(loaded.size).toBe(engine.size)
      await new Promise((r) => setTimeout(r, 300))
      expect(saves).toBe(1)
    } finally {
      await srv.close()
    }
    // Nothing unsaved at close: no extra save.
    expect(saves).toBe(1)
  })

  it('an empty POST /docs adds nothing and schedules no save', async () => {
    const file = join(dir, 'empty-post.jsz')
    const engine = typedEngine()
    let saves = 0
    const save = engine.save.bind(engine)
    engine.save = (path: string) => (saves++, save(path))
    const srv = await start(engine, { token: 's3cret', savePath: file, saveDelayMs: 50, quiet: true })
    try {
      const res = await call(srv.base, '/docs', { method: 'POST', headers: AUTH, body: '\n\n' })
      expect(res.status).toBe(200)
      expect(res.body).toEqual({ added: 0 })
      await new Promise((r) => setTimeout(r, 200))
      expect(saves).toBe(0)
      expect(existsSync(file)).toBe(false)
    } finally {
      await srv.close()
    }
    expect(saves).toBe(0)
  })

  it('replaceEngine(): later requests are answered, and later writes saved, by the new engine', async () => {
    const file = join(dir, 'replaced.jsz')
    const first = typedEngine()
    const srv = await start(first, { token: 's3cret', savePath: file, saveDelayMs: 60_000, quiet: true })
    try {
      expect((await call(srv.base, '/health')).body.documents).toBe(26)
      const second = typedEngine([{ id: 'r1', title: '替换后的索引', body: '新索引里的文章' }])
      srv.service.replaceEngine(second)
      expect((await call(srv.base, '/health')).body.documents).toBe(27)
      expect((await call(srv.base, `/search?q=${encodeURIComponent('新索引')}`)).body.hits[0].id).toBe('r1')
      expect((await call(srv.base, '/doc/r1')).status).toBe(200)
      expect((await call(srv.base, '/doc/r2', { method: 'PUT', headers: AUTH, body: JSON.stringify({ title: '写入新引擎', body: '替换之后' }) })).status).toBe(200)
      expect(second.has('r2')).toBe(true)
      expect(first.has('r2')).toBe(false)
      expect(() => srv.service.replaceEngine({} as SearchEngine)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    } finally {
      await srv.close()
    }
    const loaded = await SearchEngine.load(file)
    expect(loaded.has('r1') && loaded.has('r2')).toBe(true)
  })

  it('close() waits for a request in flight, then runs the pending save at once', async () => {
    const file = join(dir, 'graceful.jsz')
    const engine = typedEngine()
    const srv = await start(engine, { token: 's3cret', savePath: file, saveDelayMs: 60_000, quiet: true })
    expect((await call(srv.base, '/doc/g1', { method: 'PUT', headers: AUTH, body: JSON.stringify({ title: '关闭前写入', body: '第一篇' }) })).status).toBe(200)
    // A bulk write whose body is still arriving when close() is called.
    const inFlight = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${srv.base}/docs`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/x-ndjson' } }, (res) => {
        let body = ''
        res.on('data', (c: Buffer) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode!, body }))
      })
      req.on('error', reject)
      req.write(`${JSON.stringify({ id: 'g2', title: '关闭时写入', body: '第二篇' })}\n`)
      setTimeout(() => req.end(`${JSON.stringify({ id: 'g3', title: '关闭时写入', body: '第三篇' })}\n`), 300)
    })
    await new Promise((r) => setTimeout(r, 100))
    let closed = false
    const closing = srv.close().then(() => (closed = true))
    await new Promise((r) => setTimeout(r, 100))
    expect(closed).toBe(false)
    expect(existsSync(file)).toBe(false)
    const reply = await inFlight
    expect(reply.status).toBe(200)
    expect(JSON.parse(reply.body)).toEqual({ added: 2 })
    await closing
    const loaded = await SearchEngine.load(file)
    expect(['g1', 'g2', 'g3'].every((id) => loaded.has(id))).toBe(true)
    await expect(fetch(`${srv.base}/health`)).rejects.toThrow()
  })

  it('jiansuo serve: a PUT, then SIGTERM: exits 0 and the file holds the document', async () => {
    const file = join(dir, 'cli.jsz')
    await typedEngine().save(file)
    const child = spawn(process.execPath, [CLI, 'serve', file, '--port', '0', '--token', 't'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, JIANSUO_TOKEN: '' } })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      await until(() => /on http:\/\/127\.0\.0\.1:\d+ /.test(stderr) || child.exitCode !== null, 60_000)
      const match = /^jiansuo: serving (.+) on http:\/\/127\.0\.0\.1:(\d+) \(writes with token\)$/m.exec(stderr)
      expect(match, stderr).not.toBeNull()
      expect(match![1]).toBe(file)
      const base = `http://127.0.0.1:${match![2]}`
      const put = await call(base, '/doc/cli1', { method: 'PUT', headers: { authorization: 'Bearer t' }, body: JSON.stringify({ title: '命令行写入', body: '信号前写入的文章', date: '2024-07-01' }) })
      expect(put.status).toBe(200)
      // The save is still pending (1 s delay): SIGTERM must drain and save.
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
      expect(stderr).toMatch(/PUT \/doc\/cli1 200/)
      const loaded = await SearchEngine.load(file)
      expect(loaded.get('cli1')).toMatchObject({ title: '命令行写入', date: '2024-07-01' })
      expect(loaded.options.columns).toEqual([{ name: 'date', type: 'date' }, { name: 'reporters', type: 'keyword' }])
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  }, 120_000)

  it('jiansuo serve: SIGTERM in the middle of a stream of writes keeps every acknowledged one', async () => {
    const file = join(dir, 'mid-load.jsz')
    await typedEngine().save(file)
    const { child, base, stderr, exited } = await serve([file, '--port', '0', '--token', 't', '--quiet'])
    try {
      const acknowledged: string[] = []
      // Four writers, each PUT after the previous answer; SIGTERM once some are in.
      const writer = async (w: number) => {
        for (let i = 0; i < 400; i++) {
          const id = `w${w}-${i}`
          try {
            const res = await fetch(`${base}/doc/${id}`, { method: 'PUT', headers: { authorization: 'Bearer t' }, body: JSON.stringify({ title: `第${i}篇稿件`, body: `写入压力测试，编号${id}。`, date: '2024-05-01' }) })
            // A 503 while stopping is a refusal, not an acknowledgement.
            if (res.status === 200) acknowledged.push(id)
            await res.text()
          } catch {
            return // the server has closed
          }
        }
      }
      const writers = Promise.all([0, 1, 2, 3].map(writer))
      await until(() => acknowledged.length >= 60)
      child.kill('SIGTERM')
      await writers
      expect(await exited).toBe(0)
      expect(acknowledged.length).toBeGreaterThanOrEqual(60)
      const loaded = await SearchEngine.load(file)
      const missing = acknowledged.filter((id) => !loaded.has(id))
      expect(missing, stderr()).toEqual([])
      expect(loaded.size).toBe(26 + acknowledged.length)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  }, 120_000)

  it('jiansuo serve --watch: a rebuilt file is served once saved; a broken one is logged and the old kept', async () => {
    const file = join(dir, 'watched.jsz')
    await typedEngine().save(file)
    const { child, base, stderr, exited } = await serve([file, '--port', '0', '--watch', '--quiet'])
    try {
      expect(stderr()).toMatch(/\(read-only, reloaded when it changes\)/)
      expect((await call(base, '/health')).body.documents).toBe(26)
      // Rebuilt elsewhere and saved atomically over the file (as jiansuo index -o does).
      await typedEngine([{ id: 'n1', title: '重建后的索引', body: '夜间任务重建了索引文件' }]).save(file)
      await until(async () => (await call(base, '/health')).body.documents === 27, 30_000)
      expect((await call(base, `/search?q=${encodeURIComponent('重建')}`)).body.hits[0].id).toBe('n1')
      expect(stderr()).toMatch(/watched\.jsz changed; now serving 27 documents/)
      // A file that is not an index (written in place): logged, the previous index stays.
      writeFileSync(file, 'not an index')
      await until(() => /cannot be loaded/.test(stderr()), 30_000)
      expect(stderr()).toMatch(/cannot be loaded \(NOT_AN_INDEX: .*magic bytes/)
      expect((await call(base, '/health')).body.documents).toBe(27)
      // Read-only: no writes, and no save over the watched file.
      expect((await call(base, '/doc/x', { method: 'PUT', headers: { authorization: 'Bearer t' }, body: '{}' })).status).toBe(403)
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
    const refused = spawn(process.execPath, [CLI, 'serve', file, '--watch', '--token', 't'], { stdio: ['ignore', 'ignore', 'pipe'] })
    let err = ''
    refused.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
    expect(await new Promise((resolve) => refused.on('exit', resolve))).toBe(2)
    expect(err).toMatch(/--watch .* read-only: leave out --token/)
  }, 120_000)

  it('jiansuo serve without a token is read-only; bad usage exits 2', async () => {
    const file = join(dir, 'cli.jsz')
    const child = spawn(process.execPath, [CLI, 'serve', file, '--port', '0', '--quiet', '--cache', '0'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, JIANSUO_TOKEN: '' } })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      await until(() => /\(read-only\)/.test(stderr) || child.exitCode !== null, 60_000)
      const port = /127\.0\.0\.1:(\d+)/.exec(stderr)![1]
      expect((await call(`http://127.0.0.1:${port}`, '/doc/x', { method: 'PUT', body: '{}' })).status).toBe(403)
      expect((await call(`http://127.0.0.1:${port}`, '/health')).body.documents).toBe(27)
      // --cache 0: a repeated search is searched again.
      for (let i = 0; i < 2; i++) expect((await call(`http://127.0.0.1:${port}`, '/search?q=%E9%9B%B7%E9%94%8B')).headers.get('x-jiansuo-cache')).toBe('miss')
      child.kill('SIGINT')
      expect(await exited).toBe(0)
      expect(stderr.trim().split('\n')).toHaveLength(1)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
    const usage = spawn(process.execPath, [CLI, 'serve'], { stdio: ['ignore', 'ignore', 'pipe'] })
    let usageErr = ''
    usage.stderr.setEncoding('utf8').on('data', (chunk: string) => (usageErr += chunk))
    expect(await new Promise((resolve) => usage.on('exit', resolve))).toBe(2)
    expect(usageErr).toMatch(/serve needs an index file.*jiansuo serve --help/)
    const badCache = spawn(process.execPath, [CLI, 'serve', file, '--cache', 'many'], { stdio: ['ignore', 'ignore', 'pipe'] })
    let badCacheErr = ''
    badCache.stderr.setEncoding('utf8').on('data', (chunk: string) => (badCacheErr += chunk))
    expect(await new Promise((resolve) => badCache.on('exit', resolve))).toBe(2)
    expect(badCacheErr).toMatch(/--cache must be a whole number/)
  }, 120_000)
})
