import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'

const made: string[] = []
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A fresh folder for one test, removed after it. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'synapse-store-'))
  made.push(dir)
  return dir
}

/** A database path in a fresh folder that does not exist yet (the store makes it). */
export function tempDb(): string {
  return join(tempDir(), 'nested', 'synapse.db')
}

const child = join(import.meta.dirname, 'fixtures', 'store-child.ts')

/** A running second process on the store; see fixtures/store-child.ts for the commands. */
export interface Child {
  process: ChildProcess
  /** What it printed on stdout so far. */
  stdout(): string
  /** Resolves when the child prints `line` on stdout. */
  printed(line: string): Promise<void>
  /** Resolves with the exit code; rejects with its stderr when it is not 0. */
  exited(): Promise<number>
}

/** Starts the store child with Node 24 and the workspace sources (tsx, `@synapse/source`). */
export function spawnChild(args: string[]): Child {
  const proc = spawn(
    process.execPath,
    ['--conditions=@synapse/source', '--import', 'tsx', child, ...args],
    { cwd: import.meta.dirname, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stdout = ''
  let stderr = ''
  const listeners: (() => void)[] = []
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    for (const listener of listeners) listener()
  })
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const exit = new Promise<number>((resolve, reject) => {
    proc.on('error', reject)
    proc.on('close', (code, signal) => {
      if (code === 0) resolve(0)
      else if (signal !== null) resolve(-1)
      else reject(new Error(`store child exited with ${code}: ${stderr}`))
    })
  })
  return {
    process: proc,
    stdout: () => stdout,
    printed: (line) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (stdout.split('\n').includes(line)) resolve()
        }
        listeners.push(check)
        check()
        exit.then(
          () => reject(new Error(`store child ended without printing ${line}: ${stderr}`)),
          reject,
        )
      }),
    exited: () => exit,
  }
}
