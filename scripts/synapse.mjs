#!/usr/bin/env node
// `pnpm synapse …` from the repository root: runs the CLI from the checkout, building it first
// when a package's sources are newer than its build. The check reads file times only (tens of
// ms), so an up-to-date checkout starts the CLI without starting Nx. Build output is shown only
// when it fails, so `--json` output stays clean.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
// Written after each successful build: Nx replays a cached build without touching dist/, so the
// build's own file times cannot say when it was last brought up to date.
const stamp = join(root, 'node_modules', '.cache', 'synapse-cli-built')

/** The newest modification time under `path` (folders count: a deleted file changes its folder). */
function newest(path) {
  const stat = statSync(path, { throwIfNoEntry: false })
  if (stat === undefined) return 0
  if (!stat.isDirectory()) return stat.mtimeMs
  let latest = stat.mtimeMs
  for (const name of readdirSync(path)) {
    if (name === 'node_modules') continue
    latest = Math.max(latest, newest(join(path, name)))
  }
  return latest
}

function isStale() {
  const built = statSync(stamp, { throwIfNoEntry: false })
  if (built === undefined) return true
  const packages = join(root, 'packages')
  for (const name of readdirSync(packages)) {
    const dir = join(packages, name)
    if (statSync(join(dir, 'dist', 'index.js'), { throwIfNoEntry: false }) === undefined)
      return true
    const sources = Math.max(
      newest(join(dir, 'src')),
      newest(join(dir, 'package.json')),
      newest(join(dir, 'tsup.config.ts')),
    )
    if (sources > built.mtimeMs) return true
  }
  return false
}

if (isStale()) {
  const build = spawnSync(
    join(root, 'node_modules', '.bin', 'nx'),
    ['run', '@synapse/cli:build', '--output-style=static'],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    },
  )
  if (build.status !== 0) {
    process.stderr.write(build.stdout ?? '')
    process.stderr.write(build.stderr ?? '')
    process.stderr.write('synapse: building the CLI failed (output above)\n')
    process.exit(build.status ?? 1)
  }
  mkdirSync(join(stamp, '..'), { recursive: true })
  writeFileSync(stamp, `${new Date().toISOString()}\n`)
}
// Ctrl-C reaches the CLI itself (same process group); this wrapper only waits for it to finish
// cancelling, so the exit code and the last messages are the CLI's own.
process.on('SIGINT', () => {})
const cli = spawnSync(
  process.execPath,
  [join(root, 'packages/cli/bin/run.js'), ...process.argv.slice(2)],
  { stdio: 'inherit' },
)
process.exit(cli.status ?? (cli.signal === 'SIGINT' ? 130 : 1))
