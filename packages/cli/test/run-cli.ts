import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export const repoRoot = join(import.meta.dirname, '..', '..', '..')
const bin = join(repoRoot, 'packages', 'cli', 'bin', 'run.js')

/** Builds the CLI and what it depends on (Nx replays it from cache when nothing changed). */
export function buildCli(): void {
  execFileSync('pnpm', ['exec', 'nx', 'run', '@synapse/cli:build', '--output-style=static'], {
    cwd: repoRoot,
    stdio: 'pipe',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  })
  if (!existsSync(join(repoRoot, 'packages', 'cli', 'dist', 'index.js'))) {
    throw new Error('CLI build produced no dist/index.js')
  }
}

export interface CliResult {
  status: number | null
  stdout: string
  stderr: string
}

/** Runs `synapse …` as a real subprocess, the way a user does. */
export function runCli(args: string[], options: { cwd?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 120_000,
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}
