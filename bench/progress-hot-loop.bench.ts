// progress-hot-loop: an action whose loop does about a microsecond of arithmetic per iteration
// and reports progress on every one of 1,000,000 iterations, run through LocalExecutor with the
// run store attached, against the floor of the same action without the progress calls. The
// ratio says how much of the action's own speed survives a setProgress call per iteration.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineAction, type RuntimeContext } from '@synapse/core'
import { LocalExecutor } from '@synapse/executor-local'
import { SqliteRunStore } from '@synapse/store-sqlite'
import { writeBenchResult } from './lib/bench-result'
import { interleavedMedians } from './lib/interleaved'

const N = 1_000_000
const ROUNDS = 5

/** Arithmetic the JIT cannot fold away; `k` steps of it take about `k` × 2 ns here. */
function work(seed: number, k: number): number {
  let x = seed
  for (let j = 0; j < k; j++) x = (x * 1.000_001 + 0.5) % 1_000_003
  return x
}

/** The `k` for which one call of `work` takes about a microsecond on this machine. */
function calibrate(): number {
  let k = 16
  for (;;) {
    const start = performance.now()
    let acc = 0
    for (let i = 0; i < 100_000; i++) acc += work(i, k)
    const perCallUs = ((performance.now() - start) * 1000) / 100_000
    if (acc === -1) throw new Error('unreachable')
    if (perCallUs >= 1 || k > 1 << 16) return Math.max(1, Math.round(k / perCallUs))
    k *= 2
  }
}
const K = calibrate()

function loop(ctx: RuntimeContext, report: boolean): number {
  let acc = 0
  for (let i = 0; i < N; i++) {
    acc += work(i, K)
    if (report) ctx.setProgress(i + 1, N, 'train')
  }
  return acc
}
const withProgress = defineAction({ name: 'with-progress' }, async (_p, ctx) => loop(ctx, true))
const without = defineAction({ name: 'without' }, async (_p, ctx) => loop(ctx, false))

const dir = mkdtempSync(join(tmpdir(), 'synapse-bench-progress-'))
const store = new SqliteRunStore({ path: join(dir, 'synapse.db') })
const executor = new LocalExecutor({ store })
let runs = 0

async function round(action: typeof withProgress): Promise<number> {
  const start = performance.now()
  // A run id makes the run tracked: events, the store sink and the run record all take part.
  await executor.execute({ action, params: {}, runId: `bench-${++runs}` })
  return performance.now() - start
}

const ms = await interleavedMedians(ROUNDS, {
  floor: () => round(without),
  value: () => round(withProgress),
})
const floor = ms.floor.median
const value = ms.value.median
const stored = (await store.getRun(`bench-${runs}`))?.lastSeq ?? 0
await executor.close()
await store.close()
rmSync(dir, { recursive: true, force: true })

writeBenchResult({
  name: 'progress-hot-loop',
  metric: '1M iterations of ~1 µs arithmetic, each with setProgress, store attached',
  value: Math.round(value),
  unit: 'ms',
  floor: Math.round(floor),
  // floor time / measured time: 1 means the progress calls cost nothing.
  ratio: Number((floor / value).toFixed(3)),
  extra: {
    iterations: N,
    rounds: ROUNDS,
    workStepsPerIteration: K,
    nsPerProgressCall: Math.round(((value - floor) * 1e6) / N),
    eventsStoredInLastRun: stored,
  },
})
