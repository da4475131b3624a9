#!/usr/bin/env node
// `pnpm synapse …` from the repository root: brings the CLI's build up to date (Nx replays it
// from cache when nothing changed), then runs it. Build output is shown only when it fails, so
// `--json` output stays clean.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const build = spawnSync(
  'pnpm',
  ['exec', 'nx', 'run', '@synapse/cli:build', '--output-style=static'],
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
const cli = spawnSync(
  process.execPath,
  [join(root, 'packages/cli/bin/run.js'), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
)
process.exit(cli.status ?? 1)
