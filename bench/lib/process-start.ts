import { spawnSync } from 'node:child_process'
import { median } from './bench-result'

/** Wall time of one process from spawn to exit, in ms; fails loudly if the process fails. */
function timeProcess(args: readonly string[], env: NodeJS.ProcessEnv): number {
  const start = performance.now()
  const run = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  const ms = performance.now() - start
  if (run.status !== 0) {
    throw new Error(
      `${args.join(' ')} exited ${run.status}: ${run.stderr.toString().slice(0, 400)}`,
    )
  }
  return ms
}

/**
 * Medians of a command's wall time and of a bare `node -e 0` on the same Node, in interleaved
 * rounds so drift in machine load hits both alike. The first round of each warms the disk cache.
 */
export function measureStart(
  args: readonly string[],
  options: { rounds?: number; env?: NodeJS.ProcessEnv } = {},
): { valueMs: number; floorMs: number; rounds: number } {
  const rounds = options.rounds ?? 10
  const env = { ...process.env, ...options.env }
  timeProcess(args, env)
  timeProcess(['-e', '0'], env)
  const value: number[] = []
  const floor: number[] = []
  for (let r = 0; r < rounds; r++) {
    floor.push(timeProcess(['-e', '0'], env))
    value.push(timeProcess(args, env))
  }
  return { valueMs: median(value), floorMs: median(floor), rounds }
}
