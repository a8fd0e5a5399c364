/** Shared by the HTTP and browser tests: the sample newspaper with typed fields, and a server over it. */
import { SearchEngine, type SearchEngineOptions, createServer, parseNewspaper, type Document, type JiansuoServer, type ServerOptions } from '../src/index.js'
import { SAMPLE_TEXT } from './helpers.js'

export const TYPED_FIELDS = {
  title: { boost: 3 },
  body: {},
  date: { type: 'date' },
  reporters: { type: 'keyword' },
} as const

const PLACES = ['通航社区', '五云山', '峡窝镇', '济源路街道', '工业路街道', '区图书馆', '区文化馆', '汝南路小学', '新安路街道', '区人民医院', '中心路社区', '龙岗社区', '金华社区', '区体育中心']
const THEMES = ['环境整治', '文明交通劝导', '关爱空巢老人', '义务植树', '垃圾分类宣传', '科普进社区', '防范电信诈骗宣传']
const REPORTERS = ['李华', '王芳', '赵磊']

/**
 * Fourteen short 2023 reports of volunteer activities: with the sample's 9, 活动 has 23 hits (three
 * pages of ten), a second year for the date facet and three more reporters.
 */
export function extraArticles(): Document[] {
  return PLACES.map((place, i) => {
    const theme = THEMES[i % THEMES.length]!
    const month = String((i % 12) + 1).padStart(2, '0')
    const repeat = '活动现场气氛热烈，志愿者耐心细致地为群众服务。'.repeat((i % 3) + 1)
    return {
      id: `v${String(i + 1).padStart(2, '0')}`,
      title: `${place}开展${theme}志愿服务活动`,
      body: `${Number(month)}月，${place}组织志愿者开展${theme}活动。${repeat}此次活动受到居民好评。`,
      date: `2023-${month}-${String((i % 27) + 1).padStart(2, '0')}`,
      reporters: [REPORTERS[i % REPORTERS.length]!],
    }
  })
}

/** The sample issue dated 2024-03-06, plus `extraArticles()` and `more`, with date and reporters typed. */
export function typedEngine(more: Document[] = [], options: Omit<SearchEngineOptions, 'fields'> = {}): SearchEngine {
  const engine = new SearchEngine({ ...options, fields: TYPED_FIELDS })
  const { articles } = parseNewspaper(SAMPLE_TEXT, { date: '2024-03-06' })
  engine.addAll([...(articles as unknown as Document[]), ...extraArticles(), ...more])
  return engine.warm()
}

export interface Running {
  service: JiansuoServer
  base: string
  logs: string[]
  close(): Promise<void>
}

/** A server on a free loopback port; its log lines are collected instead of printed. */
export async function start(engine: SearchEngine, options: ServerOptions = {}): Promise<Running> {
  const logs: string[] = []
  const service = createServer(engine, { log: (line) => logs.push(line), ...options })
  const { url } = await service.listen(0, '127.0.0.1')
  return { service, base: url, logs, close: () => service.close() }
}

export interface Reply {
  status: number
  headers: Headers
  body: any
}

/** fetch, with the body read as JSON when it is JSON. */
export async function call(base: string, path: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(base + path, init)
  const text = await res.text()
  const json = (res.headers.get('content-type') ?? '').startsWith('application/json') && text !== ''
  return { status: res.status, headers: res.headers, body: json ? JSON.parse(text) : text }
}

/** A search result as JSON, without `took` (the only field that differs between two runs). */
export function comparable(result: unknown): unknown {
  const { took: _took, ...rest } = JSON.parse(JSON.stringify(result)) as { took: number }
  return rest
}
