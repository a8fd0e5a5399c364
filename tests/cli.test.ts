/** The CLI as a user runs it: the built `dist/cli.js` (npm test builds first). */
import { describe, it, expect } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SAMPLE_PATH } from './helpers.js'

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })

describe('jiansuo CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jiansuo-cli-'))
  const index = join(dir, 'paper.jsz')

  it('is built', () => {
    expect(existsSync(CLI)).toBe(true)
  })

  it('indexes the newspaper and a JSONL file, then searches with --json', () => {
    const jsonl = join(dir, 'extra.jsonl')
    writeFileSync(jsonl, `${JSON.stringify({ id: 'x1', title: '量子计算机研制取得进展', text: '科研人员在量子计算领域取得突破。' })}\n`)
    const built = run('index', SAMPLE_PATH, jsonl, '-o', index)
    expect(built.status, built.stderr).toBe(0)
    expect(built.stdout).toMatch(/indexed 13 documents, \d+ terms, \d+ bytes in [\d.]+ s/)
    expect(built.stderr).toContain('has no body')

    const found = run('search', index, '雷锋', '--json', '--limit', '2')
    expect(found.status, found.stderr).toBe(0)
    const result = JSON.parse(found.stdout)
    expect(result.total).toBe(2)
    expect(result.hits).toHaveLength(2)
    for (const hit of result.hits) {
      expect(hit).toHaveProperty('id')
      expect(typeof hit.score).toBe('number')
      expect(hit.doc.title).toMatch(/^弘扬雷锋精神/)
      expect(hit.snippets.length).toBeGreaterThan(0)
    }
    const quantum = JSON.parse(run('search', index, '量子计算', '--json').stdout)
    expect(quantum.hits[0].id).toBe('x1')
  })

  it('index segments with node-rs-jieba when it is installed, --segmenter nodejieba on request; search follows the file', async () => {
    const { SearchEngine } = await import('../src/index.js')
    const { nodeRsJiebaSegmenter } = await import('../src/analysis/node-rs-jieba.js')
    let installed = true
    try {
      nodeRsJiebaSegmenter().cut('检索')
    } catch {
      installed = false
    }
    const byDefault = join(dir, 'default-segmenter.jsz')
    const built = run('index', SAMPLE_PATH, '-o', byDefault)
    expect(built.status, built.stderr).toBe(0)
    const expected = installed ? 'node-rs-jieba' : 'nodejieba'
    expect(built.stdout).toContain(`with ${expected} →`)
    expect((await SearchEngine.load(byDefault)).options.analyzer.segmenter).toBe(expected)

    const classic = join(dir, 'nodejieba.jsz')
    expect(run('index', SAMPLE_PATH, '-o', classic, '--segmenter', 'nodejieba').stdout).toContain('with nodejieba →')
    expect((await SearchEngine.load(classic)).options.analyzer.segmenter).toBe('nodejieba')
    // Either file answers the same sample query with the same articles.
    const ids = (file: string) => JSON.parse(run('search', file, '雷锋精神', '--json').stdout).hits.map((h: { id: string }) => h.id)
    expect(ids(byDefault)).toEqual(ids(classic))

    const bad = run('index', SAMPLE_PATH, '-o', join(dir, 'x.jsz'), '--segmenter', 'jieba')
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('--segmenter takes nodejieba or node-rs-jieba, got "jieba"')
  })

  it('index --date puts the issue date on every article of a newspaper file', () => {
    const dated = join(dir, 'dated.jsz')
    expect(run('index', SAMPLE_PATH, '-o', dated, '--date', '2024-03-06').status).toBe(0)
    const hits = JSON.parse(run('search', dated, '雷锋', '--json').stdout).hits as { doc: { date?: string } }[]
    expect(hits.length).toBeGreaterThan(0)
    for (const hit of hits) expect(hit.doc.date).toBe('2024-03-06')
    const bad = run('index', SAMPLE_PATH, '-o', join(dir, 'bad.jsz'), '--date', '2024-02-30')
    expect(bad.status).not.toBe(0)
    expect(bad.stderr).toContain('YYYY-MM-DD')
  })

  it('--field declares typed fields; search --filter, --sort and --facets use them, with or without a query', () => {
    const jsonl = join(dir, 'typed.jsonl')
    const docs = [
      { id: 'n1', title: '乡村振兴 春耕', text: '乡村振兴推进春耕生产。', date: '2024-03-02', column: '要闻' },
      { id: 'n2', title: '乡村振兴 产业', text: '乡村振兴带动产业发展。', date: '2023-11-20', column: '经济' },
      { id: 'n3', title: '乡村振兴 人才', text: '乡村振兴需要人才。', date: '2024-05-09', column: '要闻' },
      { id: 'n4', title: '城市更新', text: '城市更新改善民生。', date: '2024-06-01', column: '要闻' },
    ]
    writeFileSync(jsonl, docs.map((d) => JSON.stringify(d)).join('\n') + '\n')
    const typed = join(dir, 'typed.jsz')
    const built = run('index', jsonl, '-o', typed, '--field', 'date:date', '--field', 'column:keyword')
    expect(built.status, built.stderr).toBe(0)
    const filtered = JSON.parse(run('search', typed, '乡村振兴', '--filter', 'date>=2024-01-01', '--filter', 'column=要闻', '--sort', 'date:desc', '--json').stdout)
    expect(filtered.hits.map((h: { id: string }) => h.id)).toEqual(['n3', 'n1'])
    const listed = JSON.parse(run('search', typed, '--facets', 'column,date:month', '--limit', '0', '--json').stdout)
    expect(listed.total).toBe(4)
    expect(listed.facets.column).toEqual([{ value: '要闻', count: 3 }, { value: '经济', count: 1 }])
    expect(listed.facets.date.map((b: { value: string }) => b.value)).toEqual(['2023-11', '2024-03', '2024-05', '2024-06'])
    const human = run('search', typed, '乡村振兴', '--facets', 'column')
    expect(human.stdout).toContain('column: 要闻 (2), 经济 (1)')
    const unknown = run('search', typed, '乡村振兴', '--filter', 'views>3')
    expect(unknown.status).toBe(2)
    expect(unknown.stderr).toContain('not a typed field of this index (date, column)')
    expect(run('index', jsonl, '-o', join(dir, 'x.jsz'), '--field', 'date:time').stderr).toContain('--field takes name:type')
  })

  it('pages with --offset and prints human output with rank, title and score', () => {
    const page2 = JSON.parse(run('search', index, '企业', '--json', '--limit', '1', '--offset', '1').stdout)
    const page1 = JSON.parse(run('search', index, '企业', '--json', '--limit', '2').stdout)
    expect(page2.hits[0].id).toBe(page1.hits[1].id)
    const human = run('search', index, '专利')
    expect(human.status).toBe(0)
    expect(human.stdout).toMatch(/^1\. 我区这家公司获省政府奖励 +\[[^\]]+\] score [\d.]+$/m)
    expect(human.stdout).toContain('【专利】')
  })

  it('search --pinyin and --synonyms read the query as the engine options say, and print what was relaxed', () => {
    expect(JSON.parse(run('search', index, 'leifeng', '--json').stdout).total).toBe(0)
    const pinyin = run('search', index, 'leifeng', '--pinyin')
    expect(pinyin.status).toBe(0)
    expect(pinyin.stdout).toContain('(read as pinyin: leifeng → 雷锋)')
    expect(pinyin.stdout).toContain('【雷锋】')
    const typo = run('search', index, '雷峰精神', '--pinyin')
    expect(typo.stdout).toContain('Did you mean: 雷锋精神')
    const rules = join(dir, 'synonyms.txt')
    writeFileSync(rules, '# one-way\n扶贫 => 雷锋精神\n')
    const mapped = JSON.parse(run('search', index, '扶贫', '--synonyms', rules, '--json').stdout)
    expect(mapped.relaxed).toEqual([{ kind: 'synonym', from: '扶贫', to: '雷锋精神' }])
    expect(mapped.total).toBeGreaterThan(0)
    const missing = run('search', index, '扶贫', '--synonyms', join(dir, 'none.txt'))
    expect(missing.status).toBe(2)
    expect(missing.stderr).toContain('none.txt')
  })

  it('prints one clear line and exits non-zero on errors', () => {
    const missing = run('search', join(dir, 'nope.jsz'), '雷锋')
    expect(missing.status).toBe(1)
    expect(missing.stderr.trim().split('\n')).toHaveLength(1)
    expect(missing.stderr).toContain('IO_ERROR')

    const noQuery = run('search', index)
    expect(noQuery.status).toBe(2)
    expect(noQuery.stderr).toContain('needs a query')

    const notIndex = join(dir, 'fake.jsz')
    writeFileSync(notIndex, '{"not":"an index"}')
    const bad = run('search', notIndex, '雷锋')
    expect(bad.status).toBe(1)
    expect(bad.stderr).toContain('NOT_AN_INDEX')

    expect(run('index', join(dir, 'missing.txt'), '-o', join(dir, 'x.jsz')).status).toBe(1)
    expect(run('frobnicate').status).toBe(2)
  })

  it('--version prints the package version; help and --help print a command\'s usage', () => {
    const version = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')).version
    for (const flag of ['--version', '-v', 'version']) {
      const out = run(flag)
      expect(out.status, flag).toBe(0)
      expect(out.stdout).toBe(`jiansuo ${version}\n`)
    }
    for (const args of [['help', 'search'], ['search', '--help'], ['search', index, '-h']]) {
      const out = run(...args)
      expect(out.status, args.join(' ')).toBe(0)
      expect(out.stdout).toMatch(/^Usage: jiansuo search <index-file> <query>/)
      expect(out.stdout).toContain('--offset N')
    }
    expect(run('index', '--help').stdout).toContain('--upsert')
    expect(run('help', 'nope').status).toBe(2)
    // After "--", "--help" is query text, not a request for help.
    expect(run('search', index, '--', '--help').stdout).not.toMatch(/^Usage/)
  })

  it('a usage error is one line naming the fix and the command\'s help, exit 2', () => {
    for (const [args, says] of [
      [['search', index], 'needs a query'],
      [['search', index, '雷锋', '--limit', 'many'], '--limit must be a whole number'],
      [['index', SAMPLE_PATH], 'needs -o'],
      [['search', index, '雷锋', '--colour'], 'Unknown option --colour'],
    ] as [string[], string][]) {
      const out = run(...args)
      expect(out.status, args.join(' ')).toBe(2)
      const lines = out.stderr.trim().split('\n')
      expect(lines, args.join(' ')).toHaveLength(1)
      expect(lines[0]).toContain(says)
      expect(lines[0]).toContain(`(usage: jiansuo ${args[0]} --help)`)
    }
  })

  it('names the file and line of a bad or repeated input document; --upsert lets the later one win', () => {
    const bad = join(dir, 'bad.jsonl')
    writeFileSync(bad, [{ id: 'g1', title: '好的', text: '正文' }, { id: 'g2', title: 5, text: '标题是数字' }].map((d) => JSON.stringify(d)).join('\n'))
    const refused = run('index', bad, '-o', join(dir, 'bad.jsz'))
    expect(refused.status).toBe(1)
    expect(refused.stderr).toContain(`INVALID_DOCUMENT: ${bad}:2: `)
    expect(existsSync(join(dir, 'bad.jsz'))).toBe(false)

    const repeated = join(dir, 'repeated.jsonl')
    writeFileSync(repeated, [{ id: 'r1', title: '旧标题', text: '初版内容讲述航天' }, { id: 'r2', title: '其他', text: '别的' }, { id: 'r1', title: '新标题', text: '更正后的内容讲述量子' }].map((d) => JSON.stringify(d)).join('\n'))
    const dup = run('index', repeated, '-o', join(dir, 'dup.jsz'))
    expect(dup.status).toBe(1)
    expect(dup.stderr).toContain(`DUPLICATE_ID: ${repeated}:3: id "r1" is already used at ${repeated}:1`)
    expect(dup.stderr).toContain('--upsert')

    const upserted = run('index', repeated, '-o', join(dir, 'dup.jsz'), '--upsert')
    expect(upserted.status, upserted.stderr).toBe(0)
    expect(upserted.stdout).toMatch(/indexed 2 documents/)
    expect(upserted.stderr).toContain('1 document replaced')
    const found = JSON.parse(run('search', join(dir, 'dup.jsz'), '量子', '--json').stdout)
    expect(found.hits.map((h: { doc: { title: string } }) => h.doc.title)).toEqual(['新标题'])
    expect(JSON.parse(run('search', join(dir, 'dup.jsz'), '航天', '--json').stdout).total).toBe(0)
  })
})
