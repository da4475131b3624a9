import { type ChildProcess, spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import type { QueueWorkerOptions } from '../src/index'

const root = resolve(import.meta.dirname, '../../..')
const script = join(import.meta.dirname, 'fixtures/worker-process.ts')

/** A worker running in a child process of the test. */
export interface WorkerProcess {
  readonly child: ChildProcess
  /** What it logged (JSON lines on stderr). */
  logs(): string
  /** SIGTERM, then resolves once it exited (SIGKILL after `killAfterMs`). */
  stop(killAfterMs?: number): Promise<number | null>
  /** SIGKILL: a crash. */
  kill(): Promise<void>
}

/** Starts a worker process from the sources (tsx, `@synapse/source`) and waits until it is ready. */
export async function startWorkerProcess(
  options: Omit<QueueWorkerOptions, 'logger'> & { closeTimeoutMs?: number },
): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=@synapse/source', '--import', 'tsx', script, JSON.stringify(options)],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let logs = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    logs += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  )
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker did not start in 20 s:\n${logs}`)),
      20_000,
    )
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`worker exited (${code}) before it was ready:\n${logs}`))
    })
  })
  return {
    child,
    logs: () => logs,
    stop: async (killAfterMs = 15_000) => {
      if (child.exitCode !== null) return child.exitCode
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
      const code = await exited
      clearTimeout(timer)
      return code
    },
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGKILL')
      await exited
    },
  }
}
