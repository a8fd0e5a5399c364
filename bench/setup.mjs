// Installs the peer engines of the benchmarks into bench/node_modules on first use (and again
// when bench/package-lock.json changes), so the root `npm install` stays free of them. Root
// packages (nodejieba, tsx) resolve from the parent node_modules as usual.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const bench = dirname(fileURLToPath(import.meta.url))
const lock = join(bench, 'package-lock.json')
const stamp = join(bench, 'node_modules', '.installed-from')
const wanted = createHash('sha256').update(readFileSync(existsSync(lock) ? lock : join(bench, 'package.json'))).digest('hex')
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) process.exit(0)
process.stderr.write('bench: installing the peer engines into bench/node_modules (first run; better-sqlite3 compiles for a few minutes)…\n')
execFileSync('npm', [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: bench, stdio: 'inherit' })
writeFileSync(stamp, wanted)
