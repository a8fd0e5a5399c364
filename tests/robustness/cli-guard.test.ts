/**
 * The CLI never overwrites its own input: `jiansuo index copy.txt -o copy.txt` (or an output that
 * is the input under another name — `./copy.txt`, a symlink, a hard link) is refused with one
 * IO_ERROR line naming both paths, exit 1, and the input's bytes untouched. Runs the built
 * `dist/cli.js` as a user does (`npx tsup --silent` or `npm test` builds it).
 */
import { describe, it, expect, beforeEach, afterAll } from 'vitest'
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ROOT } from './helpers/common.js'

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))
const SAMPLE = join(ROOT, 'examples/newspaper.txt')
const base = mkdtempSync(join(tmpdir(), 'jiansuo-cli-guard-'))
let dir = ''
let input = ''
let before: Buffer

const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })

beforeEach((ctx) => {
  dir = join(base, ctx.task.name.replace(/\W+/g, '-'))
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  input = join(dir, 'copy.txt')
  copyFileSync(SAMPLE, input)
  before = readFileSync(input)
})

afterAll(() => rmSync(base, { recursive: true, force: true }))

/** The refusal every case must produce: exit 1, one IO_ERROR line naming both paths, input intact. */
function expectRefused(result: ReturnType<typeof run>, inputName: string, outputName: string): void {
  expect(result.status, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(1)
  const lines = result.stderr.trim().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^jiansuo: IO_ERROR: /)
  expect(lines[0]).toContain(inputName)
  expect(lines[0]).toContain(outputName)
  expect(lines[0]).toMatch(/same file/)
  expect(lines[0]).toMatch(/-o/)
  expect(result.stdout).toBe('')
  expect(readFileSync(input).equals(before)).toBe(true)
}

describe('jiansuo index refuses to write over its input', () => {
  it('is built', () => {
    expect(existsSync(CLI)).toBe(true)
  })

  it('same path', () => {
    expectRefused(run('index', 'copy.txt', '-o', 'copy.txt'), 'copy.txt', 'copy.txt')
    expectRefused(run('index', input, '--output', input), input, input)
  })

  it('./ and plain path', () => {
    expectRefused(run('index', 'copy.txt', '-o', './copy.txt'), 'copy.txt', './copy.txt')
    expectRefused(run('index', './copy.txt', '-o', join(dir, 'copy.txt')), './copy.txt', join(dir, 'copy.txt'))
  })

  it('a symlink to the input as output', () => {
    symlinkSync('copy.txt', join(dir, 'link.jsz'))
    expectRefused(run('index', 'copy.txt', '-o', 'link.jsz'), 'copy.txt', 'link.jsz')
  })

  it('a hard link to the input as output', () => {
    linkSync(input, join(dir, 'hard.jsz'))
    expectRefused(run('index', 'copy.txt', '-o', 'hard.jsz'), 'copy.txt', 'hard.jsz')
    expect(readFileSync(join(dir, 'hard.jsz')).equals(before)).toBe(true)
  })

  it('any of several inputs', () => {
    const jsonl = join(dir, 'extra.jsonl')
    writeFileSync(jsonl, `${JSON.stringify({ id: 'x1', title: '量子计算', text: '科研人员取得突破。' })}\n`)
    const extraBefore = readFileSync(jsonl)
    expectRefused(run('index', 'extra.jsonl', 'copy.txt', '-o', 'copy.txt'), 'copy.txt', 'copy.txt')
    expect(readFileSync(jsonl).equals(extraBefore)).toBe(true)
  })

  it('still writes a new output next to the input', () => {
    const result = run('index', 'copy.txt', '-o', 'copy.jsz')
    expect(result.status, result.stderr).toBe(0)
    expect(existsSync(join(dir, 'copy.jsz'))).toBe(true)
    expect(readFileSync(input).equals(before)).toBe(true)
  })
})
