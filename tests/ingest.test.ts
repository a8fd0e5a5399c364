import { describe, it, expect } from 'vitest'
import { parseNewspaper, parseJsonl, readJsonl, JiansuoError } from '../src/index.js'
import { SAMPLE_TEXT } from './helpers.js'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

describe('parseNewspaper on the sample issue', () => {
  const { articles, warnings } = parseNewspaper(SAMPLE_TEXT)
  const byTitle = (prefix: string) => articles.find((a) => a.title.startsWith(prefix))!

  it('finds every article with a body and warns about the heading without one', () => {
    // 10 articles + 3 briefs; the last heading has no body
    expect(articles).toHaveLength(13 - 1)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('贯彻落实区委十一届六次全会精神')
    expect(articles.some((a) => a.title === '贯彻落实区委十一届六次全会精神')).toBe(false)
  })

  it('turns the byline into reporters and contributors and removes it from the body', () => {
    const a = byTitle('弘扬雷锋精神 争当时代新人')
    expect(a.reporters).toEqual(['冯佳雯'])
    expect(a.contributors).toEqual(['时培盖美琦', '郭良艳'])
    expect(a.body).not.toContain('记者')
    expect(byTitle('走访企业').reporters).toEqual(['张怡馨', '李郑阳'])
    expect(byTitle('走访企业').contributors).toEqual([])
  })

  it('splits the briefs into one article each, with their own bylines', () => {
    const briefs = articles.filter((a) => a.title.startsWith('简讯'))
    expect(briefs).toHaveLength(3)
    expect(briefs[1]!.body).toContain('廉洁反思日')
    expect(briefs[1]!.title).toContain('中铝物流集团')
    expect(briefs[1]!.contributors).toEqual(['欧阳建设'])
    expect(briefs[2]!.contributors).toEqual(['王丽丹', '吕红斌', '徐吉雨'])
  })

  it('keeps ### sections inside their article', () => {
    const a = byTitle('全区各单位学习贯彻')
    expect(a.sections).toEqual(['工业路街道', '矿山街道', '区先进制造业开发区管委会', '郑州通航试验区管委会'])
    expect(a.body).toContain('工业路街道')
    expect(a.body).toContain('地效翼船')
  })

  it('repairs words broken by page layout and keeps real paragraph ends', () => {
    expect(byTitle('区委宣传部').body).toContain('重新规划和调整空间')
    expect(byTitle('走访企业').body).toContain('今年的订单情况到目前来看')
    expect(byTitle('全区各单位').body).toContain('《招商引资工作方案》')
    expect(byTitle('科技助听').body).toContain('锻炼,延缓')
    // A paragraph ending in 。 stays a paragraph.
    expect(byTitle('走访企业').body.split('\n').length).toBeGreaterThan(3)
  })
})

describe('JSONL input', () => {
  it('maps text to body, stringifies numeric ids, reports bad lines with their numbers', () => {
    const input = ['{"id":1,"title":"甲","text":"正文一"}', 'not json', '{"title":"无编号"}', '', '{"id":"b","title":"乙","body":"正文二","date":"2024-03-05"}'].join('\n')
    const { documents, lines, errors } = parseJsonl(input)
    expect(documents).toEqual([
      { id: '1', title: '甲', body: '正文一' },
      { id: 'b', title: '乙', body: '正文二', date: '2024-03-05' },
    ])
    expect(lines).toEqual([1, 5])
    expect(errors.map((e) => e.line)).toEqual([2, 3])
    try {
      parseJsonl(input, { onError: 'throw' })
      expect.unreachable()
    } catch (err) {
      expect((err as JiansuoError).code).toBe('INVALID_INPUT')
      expect((err as JiansuoError).message).toContain(':2:')
    }
  })

  it('reads a file and fails clearly on a missing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiansuo-jsonl-'))
    const file = join(dir, 'a.jsonl')
    writeFileSync(file, '{"id":"x","title":"标题","text":"内容"}\n')
    expect(readJsonl(file).documents).toHaveLength(1)
    expect(() => readJsonl(join(dir, 'missing.jsonl'))).toThrow(expect.objectContaining({ code: 'IO_ERROR' }))
  })
})

describe('parseNewspaper({ date }): the issue date on every article', () => {
  it('every article and brief of the sample gets the date, as given', () => {
    const { articles } = parseNewspaper(SAMPLE_TEXT, { date: '2024-03-06' })
    expect(articles.length).toBeGreaterThan(10)
    expect(new Set(articles.map((a) => a.date))).toEqual(new Set(['2024-03-06']))
    expect(parseNewspaper(SAMPLE_TEXT).articles.every((a) => !('date' in a))).toBe(true)
  })

  it('a Date becomes its calendar day (UTC), a month is kept as a month', () => {
    expect(parseNewspaper(SAMPLE_TEXT, { date: new Date(Date.UTC(2024, 2, 6, 23, 0)) }).articles[0]!.date).toBe('2024-03-06')
    expect(parseNewspaper(SAMPLE_TEXT, { date: '2024-03' }).articles[0]!.date).toBe('2024-03')
  })

  it.each([['2024-3-6'], ['2024-02-30'], ['yesterday'], [20240306], [new Date(Number.NaN)]])('%s is INVALID_OPTION naming the value', (date) => {
    try {
      parseNewspaper(SAMPLE_TEXT, { date } as never)
      expect.unreachable()
    } catch (err) {
      expect((err as JiansuoError).code).toBe('INVALID_OPTION')
      expect((err as JiansuoError).message).toMatch(/date of parseNewspaper\(\).*YYYY-MM-DD/)
    }
  })
})
