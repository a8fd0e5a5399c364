/** Smoke test of the published shape: the built package through both `import` and `require`. */
import { describe, it, expect } from 'vitest'
import { createRequire } from 'node:module'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

describe('built package', () => {
  it('works through require (CJS)', () => {
    const require = createRequire(import.meta.url)
    const { SearchEngine, JiansuoError } = require('../dist/index.cjs')
    const e = new SearchEngine()
    e.add({ id: '1', title: '弘扬雷锋精神', body: '学习雷锋好榜样' })
    expect(e.search('雷锋').hits[0].id).toBe('1')
    expect(() => e.add({ id: '1', title: 'x' })).toThrow(JiansuoError)
  })

  it('works through import (ESM) and round-trips bytes', async () => {
    const { SearchEngine, FORMAT_VERSION } = await import('../dist/index.js')
    const e = new SearchEngine()
    e.add({ id: '1', title: '雷鋒', body: '學習雷鋒好榜樣' })
    const again = SearchEngine.fromBytes(e.toBytes())
    expect(again.search('雷锋').hits[0]!.id).toBe('1')
    expect(FORMAT_VERSION).toBe(2)
  })
})

describe('the npm package', () => {
  // --ignore-scripts: prepack would rebuild dist/ under the other test files that use it.
  const listed = () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' })
    return (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path).sort()
  }

  it('ships the built code, types, README, LICENSE and package.json — no sources, maps or tests', () => {
    const files = listed()
    expect(files).toContain('LICENSE')
    expect(files).toContain('README.md')
    expect(files).toContain('dist/index.js')
    expect(files).toContain('dist/index.cjs')
    expect(files).toContain('dist/index.d.ts')
    expect(files).toContain('dist/index.d.cts')
    expect(files).toContain('dist/cli.js')
    expect(files).toContain('dist/build-worker.js')
    const unexpected = files.filter((f) => !/^(LICENSE|README\.md|package\.json|dist\/[^/]+\.(js|cjs|d\.ts|d\.cts))$/.test(f))
    expect(unexpected).toEqual([])
  })

  it('declares the prepack build and the MIT license file; keeps peer engines out of the root install', () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { scripts: Record<string, string>; license: string; devDependencies: Record<string, string> }
    expect(pkg.scripts.prepack).toBe('tsup')
    expect(pkg.license).toBe('MIT')
    expect(readFileSync(`${ROOT}/LICENSE`, 'utf8')).toMatch(/^MIT License/)
    // The engines the benchmarks compare against live in bench/package.json, not the root install.
    for (const peer of ['better-sqlite3', 'flexsearch', 'minisearch', '@orama/orama']) expect(pkg.devDependencies[peer], peer).toBeUndefined()
  })
})
