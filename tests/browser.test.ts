/**
 * The search page in a real headless Chromium (Debian's, installed by scripts/ensure-chromium.sh
 * when missing), driven by puppeteer-core: typing and Enter, ranked highlighted results, paging
 * by keyboard, back/forward and reload, facet and date filters, a phone-width layout, and a
 * document whose text holds markup shown as text with no script run.
 * `JIANSUO_SCREENSHOT=1` also writes docs/search-page.png (1280×800) for the README.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import puppeteer, { type Browser, type Page } from 'puppeteer-core'
import type { SearchEngine, SearchOptions } from '../src/index.js'
import { start, typedEngine, type Running } from './helpers-server.js'

// Only inside page.evaluate callbacks, which run in the browser (the project has no DOM types).
declare const document: any
declare const window: any
declare const location: any

const ENSURE = fileURLToPath(new URL('../scripts/ensure-chromium.sh', import.meta.url))
const SCREENSHOT = fileURLToPath(new URL('../docs/search-page.png', import.meta.url))
const SCRIPT_TEXT = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">雷锋'
const HOSTILE = { id: 'x-script', title: '<b>测试</b>雷锋标题', body: SCRIPT_TEXT, date: '2024-03-06', reporters: ['<i>记者</i>'] }

let engine: SearchEngine
let srv: Running
let browser: Browser
let page: Page
const problems: string[] = []

beforeAll(async () => {
  const ensured = spawnSync('bash', [ENSURE], { encoding: 'utf8', timeout: 600_000 })
  if (ensured.status !== 0) throw new Error(`scripts/ensure-chromium.sh failed (${ensured.status ?? ensured.signal}): ${ensured.stderr}`)
  const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p))
  if (!executablePath) throw new Error('no chromium binary after scripts/ensure-chromium.sh')
  engine = typedEngine([HOSTILE], { query: { pinyin: true } })
  srv = await start(engine, { quiet: true })
  browser = await puppeteer.launch({
    executablePath,
    headless: true,
    // Root in a container: no sandbox; a small /dev/shm: use /tmp.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--lang=zh-CN'],
    env: { ...process.env, LANG: 'zh_CN.UTF-8', LANGUAGE: 'zh_CN' },
  })
  page = await browser.newPage()
  await page.setViewport({ width: 1280, height: 800 })
  page.on('pageerror', (err) => problems.push(`pageerror: ${String(err)}`))
  page.on('console', (msg) => {
    // The 400 of the bad-request test is logged as a failed load; that one is expected.
    if (msg.type() === 'error' && !/status of 400/.test(msg.text())) problems.push(`console: ${msg.text()}`)
  })
}, 660_000)

afterAll(async () => {
  await browser?.close()
  await srv?.close()
})

/** Wait until the page has rendered the answer to its latest search. */
async function done(): Promise<void> {
  await page.waitForFunction(() => {
    const { state, rendered } = document.documentElement.dataset
    return state === 'done' && rendered === location.search
  }, { timeout: 20_000 })
}
const shownIds = () => page.$$eval('#results > li', (items: any[]) => items.map((li) => li.dataset.id))
const statusText = () => page.$eval('#status', (el: any) => el.textContent)
const expectedIds = (q: string, options: SearchOptions = {}) => engine.search(q, options).hits.map((h) => h.id)

async function searchFor(q: string): Promise<void> {
  await page.$eval('#q', (el: any) => (el.value = ''))
  await page.focus('#q')
  await page.keyboard.type(q)
  await page.keyboard.press('Enter')
  await done()
}

describe('the search page in Chromium', () => {
  it('typing a query and Enter shows the ranked, highlighted results with total and time', async () => {
    await page.goto(`${srv.base}/`)
    await page.waitForFunction(() => document.documentElement.dataset.state === 'idle')
    expect(await page.evaluate(() => document.activeElement.id)).toBe('q')
    await page.keyboard.type('雷锋')
    await page.keyboard.press('Enter')
    await done()
    const expected = engine.search('雷锋')
    expect(expected.total).toBe(3)
    expect(await shownIds()).toEqual(expected.hits.map((h) => h.id))
    expect(await statusText()).toMatch(new RegExp(`^共 ${expected.total} 条结果，用时 [\\d.]+ 毫秒$`))
    const marks: string[] = await page.$$eval('#results mark', (els: any[]) => els.map((m) => m.textContent))
    expect(marks.length).toBeGreaterThan(3)
    expect(new Set(marks)).toEqual(new Set(['雷锋']))
    const titles: string[] = await page.$$eval('#results h2', (els: any[]) => els.map((h) => h.textContent))
    expect(titles[0]).toBe(`1. ${engine.get(expected.hits[0]!.id)!.title}`)
    expect(new URL(page.url()).searchParams.get('q')).toBe('雷锋')
  })

  it('a document holding markup shows it as text, and none of it runs', async () => {
    const item = await page.$('li[data-id="x-script"]')
    expect(item).not.toBeNull()
    const text: string = await item!.evaluate((li: any) => li.textContent)
    expect(text).toContain('<b>测试</b>雷锋标题')
    expect(text).toContain(SCRIPT_TEXT)
    expect(text).toContain('<i>记者</i>')
    const injected = await page.$$eval('#results script, #results img, #results b, #results i', (els: any[]) => els.length)
    expect(injected).toBe(0)
    await item!.$eval('summary', (s: any) => s.click())
    expect(await item!.$eval('.full', (el: any) => el.textContent)).toBe(SCRIPT_TEXT)
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined()
  })

  it('typing offers completions from /suggest; a homophone typo offers 您是不是要找, which searches it', async () => {
    await page.goto(`${srv.base}/`)
    await page.waitForFunction(() => document.documentElement.dataset.state === 'idle')
    await page.keyboard.type('雷锋')
    await page.waitForFunction(() => document.querySelectorAll('#suggestions option').length > 0)
    const offered: string[] = await page.$$eval('#suggestions option', (els: any[]) => els.map((o) => o.value))
    expect(offered).toEqual(engine.suggest('雷锋', { limit: 8 }).map((s) => s.text))
    expect(offered).toContain('雷锋精神')
    await page.evaluate(() => { (document.getElementById('q') as any).value = '' })
    await page.keyboard.type('雷峰精神')
    await page.keyboard.press('Enter')
    await done()
    expect(engine.search('雷峰精神').didYouMean).toBe('雷锋精神')
    expect(await page.$eval('#did-you-mean', (a: any) => a.textContent)).toBe('雷锋精神')
    await page.click('#did-you-mean')
    await done()
    expect(new URL(page.url()).searchParams.get('q')).toBe('雷锋精神')
    expect(await shownIds()).toEqual(expectedIds('雷锋精神'))
  })

  it('pages with the keyboard alone: Tab reaches the filters and 下一页, Enter goes to page 2; back and forward work', async () => {
    await searchFor('活动')
    const total = engine.search('活动').total
    expect(total).toBeGreaterThan(20)
    expect(await shownIds()).toEqual(expectedIds('活动'))
    expect(await page.$eval('#page-info', (el: any) => el.textContent)).toBe(`第 1 页，共 ${Math.ceil(total / 10)} 页`)
    // From the search box, Tab through the page until 下一页 has the focus.
    await page.focus('#q')
    const passed: string[] = []
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab')
      const focused: string = await page.evaluate(() => {
        const el = document.activeElement
        return el.id || (el.dataset && el.dataset.facet ? `facet:${el.dataset.facet}` : el.tagName.toLowerCase())
      })
      passed.push(focused)
      if (focused === 'next') break
    }
    expect(passed.at(-1)).toBe('next')
    expect(passed).toContain('facet:reporters')
    expect(passed).toContain('facet:date')
    expect(passed.some((f) => f === 'input')).toBe(true)
    await page.keyboard.press('Enter')
    await done()
    expect(await shownIds()).toEqual(expectedIds('活动', { offset: 10 }))
    expect(new URL(page.url()).searchParams.get('page')).toBe('2')
    expect(await page.$eval('#page-info', (el: any) => el.textContent)).toMatch(/^第 2 页/)
    expect(await page.$eval('#results h2', (el: any) => el.textContent)).toMatch(/^11\. /)

    await page.goBack()
    await done()
    expect(await shownIds()).toEqual(expectedIds('活动'))
    await page.goForward()
    await done()
    expect(await shownIds()).toEqual(expectedIds('活动', { offset: 10 }))
  })

  it('facet values and the date range filter the results to the engine\'s filtered total, and survive a reload', async () => {
    await searchFor('活动')
    const facets: { value: string; count: number }[] = await page.$$eval('a[data-facet="reporters"]', (els: any[]) =>
      els.map((a) => ({ value: a.dataset.value, count: Number(a.querySelector('.count').textContent) })),
    )
    const expectedFacets = engine.search('活动', { facets: { reporters: { limit: 10 } } }).facets!.reporters!
    expect(facets).toEqual(expectedFacets)

    await page.click('a[data-facet="reporters"][data-value="李华"]')
    await done()
    const byReporter = engine.search('活动', { filter: { reporters: '李华' } })
    expect(byReporter.total).toBeGreaterThan(1)
    expect(await statusText()).toMatch(new RegExp(`^共 ${byReporter.total} 条结果`))
    expect(await shownIds()).toEqual(byReporter.hits.map((h) => h.id))
    expect(await page.$eval('a[data-facet="reporters"][data-value="李华"]', (a: any) => a.getAttribute('aria-current'))).toBe('true')

    await page.click('a[data-facet="date"][data-value="2023"]')
    await done()
    const byYear = engine.search('活动', { filter: { reporters: '李华', date: { gte: '2023-01-01', lte: '2023-12-31' } } })
    expect(await statusText()).toMatch(new RegExp(`^共 ${byYear.total} 条结果`))
    expect(await shownIds()).toEqual(byYear.hits.map((h) => h.id))
    expect(await page.$eval('input[name="date.gte"]', (el: any) => el.value)).toBe('2023-01-01')

    await page.reload()
    await done()
    expect(await shownIds()).toEqual(byYear.hits.map((h) => h.id))
    expect(await page.$eval('#q', (el: any) => el.value)).toBe('活动')

    // Clear, then a date range typed into the from/to inputs.
    const clear = await page.$$('#active-filters button')
    await clear.at(-1)!.click()
    await done()
    expect(await shownIds()).toEqual(expectedIds('活动'))
    await page.$eval('input[name="date.gte"]', (el: any) => (el.value = '2023-03-01'))
    await page.$eval('input[name="date.lte"]', (el: any) => (el.value = '2023-08-31'))
    await page.click('#date-form button[type="submit"]')
    await done()
    const byRange = engine.search('活动', { filter: { date: { gte: '2023-03-01', lte: '2023-08-31' } } })
    expect(byRange.total).toBeGreaterThan(0)
    expect(byRange.total).toBeLessThan(engine.search('活动').total)
    expect(await statusText()).toMatch(new RegExp(`^共 ${byRange.total} 条结果`))
    expect(JSON.parse(new URL(page.url()).searchParams.get('filter')!)).toEqual({ date: { gte: '2023-03-01', lte: '2023-08-31' } })
  })

  it('a bad request shows the server\'s error, not a blank page', async () => {
    await page.goto(`${srv.base}/?q=${encodeURIComponent('活动')}&filter=${encodeURIComponent(JSON.stringify({ nope: 'x' }))}`)
    await page.waitForFunction(() => document.documentElement.dataset.state === 'error')
    expect(await page.$eval('#error', (el: any) => el.textContent)).toMatch(/UNKNOWN_FIELD/)
  })

  it('is readable at a phone width of 375 px: nothing wider than the screen', async () => {
    await page.setViewport({ width: 375, height: 740 })
    await page.goto(`${srv.base}/?q=${encodeURIComponent('活动')}`)
    await done()
    const layout = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      box: document.getElementById('q').getBoundingClientRect().width,
      widest: Math.max(...Array.from(document.querySelectorAll('body *')).map((el: any) => el.getBoundingClientRect().right)),
    }))
    expect(layout.scroll).toBeLessThanOrEqual(375)
    expect(layout.widest).toBeLessThanOrEqual(375)
    expect(layout.box).toBeGreaterThan(150)
    await page.setViewport({ width: 1280, height: 800 })
  })

  it('ran without a script error or a policy violation', async () => {
    if (process.env.JIANSUO_SCREENSHOT) {
      await page.goto(`${srv.base}/?q=${encodeURIComponent('企业')}`)
      await done()
      mkdirSync(fileURLToPath(new URL('../docs/', import.meta.url)), { recursive: true })
      await page.screenshot({ path: SCREENSHOT as `${string}.png` })
    }
    expect(problems).toEqual([])
  })
}, 120_000)
