// local-dispatch: actions per second of a trivial action through LocalExecutor, against the
// floor of the same work done directly: one zod parse plus a call of the action's function.
import { defineAction } from '@synapse/core'
import { LocalExecutor } from '@synapse/executor-local'
import { z } from 'zod'
import { writeBenchResult } from './lib/bench-result'
import { interleavedMedians } from './lib/interleaved'

const Params = z.object({ a: z.number(), b: z.number() })
const add = async ({ a, b }: z.output<typeof Params>) => ({ sum: a + b })
const action = defineAction({ name: 'add', params: Params }, add)
const executor = new LocalExecutor({ retainRuns: 64 })

// Rounds long enough (tens of ms) that scheduling and GC pauses average out.
const N = 200_000
const ROUNDS = 9

async function floorRound(): Promise<number> {
  const start = performance.now()
  let acc = 0
  for (let i = 0; i < N; i++) acc += (await add(Params.parse({ a: i, b: 1 }))).sum
  const ms = performance.now() - start
  if (acc === 0) throw new Error('unreachable')
  return ms
}

async function executorRound(): Promise<number> {
  const start = performance.now()
  let acc = 0
  for (let i = 0; i < N; i++) {
    acc += ((await executor.execute({ action, params: { a: i, b: 1 } })) as { sum: number }).sum
  }
  const ms = performance.now() - start
  if (acc === 0) throw new Error('unreachable')
  return ms
}

const ms = await interleavedMedians(ROUNDS, { floor: floorRound, executor: executorRound })
const floorRate = N / (ms.floor.median / 1000)
const executorRate = N / (ms.executor.median / 1000)
writeBenchResult({
  name: 'local-dispatch',
  metric: 'actions per second through LocalExecutor.execute (trivial action)',
  value: Math.round(executorRate),
  unit: 'actions/s',
  floor: Math.round(floorRate),
  // floor time / executor time, i.e. executor rate / floor rate.
  ratio: Number((executorRate / floorRate).toFixed(3)),
  extra: {
    iterations: N,
    rounds: ROUNDS,
    floorMsMedian: ms.floor.median,
    executorMsMedian: ms.executor.median,
  },
})
