/**
 * The user's newspaper format → articles.
 *
 *   ## 标题            starts an article (a heading with no body is skipped with a warning)
 *   ### 小标题          a section: stays inside its article, its title kept as a body line
 *   (记者 … 通讯员 …)   the byline: becomes `reporters` / `contributors`, removed from the body
 *   ## 简讯 + ●条目     briefs: each ● item becomes its own article (see below)
 *
 * Briefs are split because each is a separate story with its own byline (an anti-corruption
 * day, a safety lesson, a film screening): a reader searching 廉洁 wants that brief first,
 * not a bundle whose other two items are unrelated. Each brief's title is 简讯 plus its opening
 * words, so it still reads as a brief in a result list.
 *
 * Page layout breaks sentences mid-word across a blank line (`重新规` / `划和调整空间`). A
 * paragraph that does not end in sentence-final punctuation is joined to the next one, unless
 * the next is a heading, a byline or a brief item — so words and phrases across the break are
 * found, and real paragraph ends are kept.
 */
import { JiansuoError, describeValue } from '../errors.js'
import { optionsObject } from '../arguments.js'

/** A type (not an interface) so an article is a `Document` as is: `engine.addAll(articles)`. */
export type NewspaperArticle = {
  id: string
  title: string
  body: string
  /** Titles of `### ` sections, in order. */
  sections: string[]
  reporters: string[]
  contributors: string[]
  /** The issue's date (`YYYY-MM-DD` or `YYYY-MM`), when `parseNewspaper` was given one. */
  date?: string
}

export interface ParseNewspaperResult {
  articles: NewspaperArticle[]
  warnings: string[]
}

export interface ParseNewspaperOptions {
  /** Prefix of generated ids (default `a`): articles are `a01`, `a02`, briefs `a05-1`. */
  idPrefix?: string
  /**
   * The issue's date, put on every article (default none): `YYYY-MM-DD`, `YYYY-MM`, or a Date
   * (its UTC calendar day). The text itself carries no date a parser could trust.
   */
  date?: string | Date
}

const BYLINE = /^[(（]\s*(记者[^)）]*?|通讯员[^)）]*?)\s*[)）]$/u
const SENTENCE_FINAL = /[。！？!?…；;：:”’」』)）】]$/u
const BRIEF_HEADINGS = new Set(['简讯', '短讯', '简讯集锦'])

interface Paragraph {
  text: string
  kind: 'text' | 'section' | 'byline' | 'brief'
}

export function parseNewspaper(text: string, options: ParseNewspaperOptions = {}): ParseNewspaperResult {
  if (typeof text !== 'string') throw new JiansuoError('INVALID_INPUT', `parseNewspaper() takes the newspaper's text as a string, got ${describeValue(text)}; read the file first (readFileSync(path, 'utf8')).`)
  const o = optionsObject('parseNewspaper()', options, ['idPrefix', 'date'])
  const prefix = o.idPrefix ?? 'a'
  if (typeof prefix !== 'string') throw new JiansuoError('INVALID_OPTION', `Option idPrefix of parseNewspaper() is ${describeValue(prefix)}; expected a string.`)
  const date = o.date === undefined ? undefined : issueDate(o.date)
  const warnings: string[] = []
  const articles: NewspaperArticle[] = []
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  let current: { title: string; line: number; paragraphs: Paragraph[] } | undefined
  let number = 0

  const finish = () => {
    if (!current) return
    number++
    const id = `${prefix}${String(number).padStart(2, '0')}`
    const paragraphs = repairLayoutBreaks(current.paragraphs)
    if (!paragraphs.some((p) => p.kind === 'text' || p.kind === 'brief')) {
      warnings.push(`line ${current.line}: article "${current.title}" has no body; skipped`)
    } else if (BRIEF_HEADINGS.has(current.title.trim())) {
      articles.push(...splitBriefs(id, current.title.trim(), paragraphs))
    } else {
      articles.push(buildArticle(id, current.title, paragraphs))
    }
    current = undefined
  }

  lines.forEach((raw, i) => {
    const line = raw.trim()
    if (/^##\s/u.test(line) && !/^###/u.test(line)) {
      finish()
      current = { title: line.replace(/^##\s+/u, '').trim(), line: i + 1, paragraphs: [] }
      return
    }
    if (!current || line === '') return
    if (/^###\s/u.test(line)) current.paragraphs.push({ text: line.replace(/^###\s+/u, '').trim(), kind: 'section' })
    else if (BYLINE.test(line)) current.paragraphs.push({ text: line, kind: 'byline' })
    else if (/^[●■◆▲]/u.test(line)) current.paragraphs.push({ text: line.replace(/^[●■◆▲]\s*/u, ''), kind: 'brief' })
    else current.paragraphs.push({ text: line, kind: 'text' })
  })
  finish()
  if (date !== undefined) for (const article of articles) article.date = date
  return { articles, warnings }
}

/** Join a paragraph cut mid-sentence by page layout to the paragraph that continues it. */
function repairLayoutBreaks(paragraphs: Paragraph[]): Paragraph[] {
  const out: Paragraph[] = []
  for (const p of paragraphs) {
    const last = out[out.length - 1]
    if (last && p.kind === 'text' && (last.kind === 'text' || last.kind === 'brief') && !SENTENCE_FINAL.test(last.text)) {
      last.text += p.text
    } else {
      out.push({ ...p })
    }
  }
  return out
}

function parseByline(line: string): { reporters: string[]; contributors: string[] } {
  const inner = line.replace(/^[(（]\s*|\s*[)）]$/gu, '')
  const names = (part: string | undefined) => (part ?? '').split(/[\s、,，]+/u).filter(Boolean)
  const m = /^(?:记者(.*?))?(?:通讯员(.*))?$/u.exec(inner)
  return { reporters: names(m?.[1]), contributors: names(m?.[2]) }
}

function buildArticle(id: string, title: string, paragraphs: Paragraph[]): NewspaperArticle {
  const body: string[] = []
  const sections: string[] = []
  const reporters: string[] = []
  const contributors: string[] = []
  for (const p of paragraphs) {
    if (p.kind === 'byline') {
      const b = parseByline(p.text)
      reporters.push(...b.reporters.filter((n) => !reporters.includes(n)))
      contributors.push(...b.contributors.filter((n) => !contributors.includes(n)))
      continue
    }
    if (p.kind === 'section') sections.push(p.text)
    body.push(p.text)
  }
  return { id, title, body: body.join('\n'), sections, reporters, contributors }
}

function splitBriefs(id: string, heading: string, paragraphs: Paragraph[]): NewspaperArticle[] {
  const groups: Paragraph[][] = []
  for (const p of paragraphs) {
    if (p.kind === 'brief' || groups.length === 0) groups.push([])
    groups[groups.length - 1]!.push(p)
  }
  return groups.map((group, i) => {
    const article = buildArticle(`${id}-${i + 1}`, heading, group)
    const opening = /^[^,，。!！?？]{1,30}/u.exec(article.body.replace(/^(?:近日|日前|\d{1,2}月\d{1,2}日)[,，]/u, ''))?.[0] ?? ''
    article.title = opening ? `${heading}：${opening}` : heading
    return article
  })
}

/** `YYYY-MM-DD` / `YYYY-MM` as given (checked to be a real day), or a Date's UTC day. */
function issueDate(value: unknown): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10)
  if (typeof value === 'string') {
    const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(value)
    if (m) {
      const [year, month, day] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 1 : Number(m[3])]
      const check = new Date(Date.UTC(year, month - 1, day))
      if (check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day) return value
    }
  }
  throw new JiansuoError('INVALID_OPTION', `Option date of parseNewspaper() is ${describeValue(value)}; expected a date as YYYY-MM-DD (or YYYY-MM), or a valid Date.`)
}
