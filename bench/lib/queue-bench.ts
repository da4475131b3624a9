/**
 * Shared parts of the `queue-*` benchmarks: a real redis-server, a no-op plugin on disk, and
 * worker processes of both kinds (a synapse QueueWorker, or a raw BullMQ worker running the same
 * no-op), each in a process of its own as in production.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { type AnyActionDefinition, PluginDiscovery } from '@synapse/core'
import { createTestPlugin, type TestPlugin } from '@synapse/core/testing'

export const NOOP_PLUGIN = {
  'config.yaml': 'name: Noop\ncode: noop\nactions:\n  noop:\n    entrypoint: main:noop\n',
  'main.ts': `import { defineAction } from '@synapse/core'
import { z } from 'zod'
export const noop = defineAction({ params: z.object({ i: z.number() }) }, ({ i }) => ({ i }))
`,
}

/** The no-op plugin written to a temp dir, with its action loaded. */
export async function noopPlugin(): Promise<{
  plugin: TestPlugin
  action: AnyActionDefinition
  source: { pluginPath: string; action: string }
}> {
  const plugin = createTestPlugin(NOOP_PLUGIN)
  const discovery = PluginDiscovery.fromPath(plugin.dir)
  return { plugin, action: await discovery.getAction('noop'), source: discovery.sourceOf('noop') }
}

/** Starts a worker process (`synapse` or `raw`) and resolves once it takes jobs. */
export async function startBenchWorker(
  kind: 'synapse' | 'raw',
  redis: string,
  queue: string,
  concurrency: number,
): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(import.meta.dirname, 'queue-worker-child.ts'),
      kind,
      redis,
      queue,
      String(concurrency),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve()
    })
    child.once('exit', (code) => reject(new Error(`${kind} worker exited with ${code}`)))
  })
  return child
}

/** SIGTERM, then waits for the exit. */
export async function stopBenchWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

/** Percentile `p` (0–100) of a list, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank] ?? Number.NaN
}
