#!/usr/bin/env node
// Runs every bench/*.bench.ts (or those named on the command line) in its own process, so one
// benchmark's heap and JIT state never colour another's. The packages are built first and the
// benchmarks import their dist/, the code users run: tsx would also load the sources, but it
// wraps every named inner function in a `__name` call, which costs time in hot loops that the
// published build does not pay.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const benchDir = join(root, 'bench')
const wanted = process.argv.slice(2)
const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort()

if (files.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ') || '(all)'}`)
  process.exit(1)
}
const build = spawnSync(join(root, 'node_modules', '.bin', 'nx'), ['run-many', '-t', 'build'], {
  stdio: 'inherit',
  cwd: root,
})
if (build.status !== 0) {
  console.error('build failed: benchmarks run against the built packages')
  process.exit(1)
}
let failed = 0
for (const file of files) {
  console.error(`\n▶ ${file}`)
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--expose-gc', join(benchDir, file)],
    { stdio: 'inherit', cwd: root },
  )
  if (run.status !== 0) {
    failed++
    console.error(`✗ ${file} exited with ${run.status ?? run.signal}`)
  }
}
process.exit(failed === 0 ? 0 : 1)
