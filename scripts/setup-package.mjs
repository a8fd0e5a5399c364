// Installs a side package of this repository (bench/: the peer engines; mutation/: StrykerJS)
// into its own node_modules on first use, and again when its lock file changes, so the root
// `npm install` stays free of them. Root packages (nodejieba, tsx, vitest) still resolve from
// the parent node_modules.
//
//   node scripts/setup-package.mjs <folder>
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const name = process.argv[2]
if (!name) {
  process.stderr.write('usage: node scripts/setup-package.mjs <folder with a package.json>\n')
  process.exit(2)
}
const folder = resolve(dirname(fileURLToPath(import.meta.url)), '..', name)
const lock = join(folder, 'package-lock.json')
const stamp = join(folder, 'node_modules', '.installed-from')
const wanted = createHash('sha256').update(readFileSync(existsSync(lock) ? lock : join(folder, 'package.json'))).digest('hex')
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) process.exit(0)
process.stderr.write(`${name}: installing its packages into ${name}/node_modules (first run; may take minutes)…\n`)
execFileSync('npm', [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: folder, stdio: 'inherit' })
writeFileSync(stamp, wanted)
