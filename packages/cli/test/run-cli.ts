import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
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

export interface CliOptions {
  cwd?: string
  /** Added to the environment the command sees. */
  env?: Record<string, string>
  /** Written to the command's stdin (runCli only). */
  input?: string
}

/** Runs `synapse …` as a real subprocess, the way a user does. */
export function runCli(args: string[], options: CliOptions = {}): CliResult {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    encoding: 'utf8',
    env: cliEnv(options),
    timeout: 120_000,
    ...(options.input !== undefined && { input: options.input }),
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** A `synapse …` subprocess left running, and a promise of how it ended. */
export interface RunningCli {
  child: ChildProcess
  /** What it printed so far. */
  readonly stdout: string
  done: Promise<CliResult>
}

/** Starts `synapse …` without waiting for it, for tests where two processes meet. */
export function startCli(args: string[], options: CliOptions = {}): RunningCli {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: cliEnv(options),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (status) => resolve({ status, stdout, stderr }))
  })
  return {
    child,
    get stdout() {
      return stdout
    },
    done,
  }
}

// Commands record runs in a store; unless a test names one, they share a store of their own
// instead of the developer's `.synapse/` in the repository.
const testStoreDir = mkdtempSync(join(tmpdir(), 'synapse-cli-store-'))
process.on('exit', () => rmSync(testStoreDir, { recursive: true, force: true }))

function cliEnv(options: CliOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NO_COLOR: '1',
    SYNAPSE_STORE: join(testStoreDir, 'synapse.db'),
    ...options.env,
  }
}
