// pipeline-overhead: a 100-action no-op pipeline with the run store attached, against the floor of
// the same 100 actions run one after another as plain runs through the same executor and store.
// Both sides pay for 100 recorded runs; what the ratio measures is the pipeline's own cost on
// top: its checks, merges, per-step status and progress events, and a durable checkpoint per step.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineAction } from '@synapse/core'
import { LocalExecutor } from '@synapse/executor-local'
import { ActionPipeline } from '@synapse/pipelines'
import { SqliteRunStore } from '@synapse/store-sqlite'
import { z } from 'zod'
import { writeBenchResult } from './lib/bench-result'
import { interleavedMedians } from './lib/interleaved'

const ACTIONS = 100
// Each round runs the 100 actions REPEATS times: rounds of ~100 ms, so that scheduling and GC
// pauses on a shared machine average out within a round.
const REPEATS = 5
const ROUNDS = 11

const noop = defineAction(
  {
    name: 'noop',
    params: z.object({ n: z.number() }).loose(),
    result: z.object({ n: z.number() }),
  },
  async ({ n }) => ({ n: n + 1 }),
)
const dir = mkdtempSync(join(tmpdir(), 'synapse-bench-pipeline-'))
const store = new SqliteRunStore({ path: join(dir, 'synapse.db') })
const executor = new LocalExecutor({ store, retainRuns: 4 * ACTIONS })
const pipeline = new ActionPipeline(Array.from({ length: ACTIONS }, () => noop))
let round = 0

async function plainRound(): Promise<number> {
  const start = performance.now()
  for (let r = 0; r < REPEATS; r++) {
    const id = `plain-${round++}`
    let n = 0
    for (let i = 0; i < ACTIONS; i++) {
      const request = { action: noop, params: { n }, runId: `${id}.${i}` }
      n = ((await executor.execute(request)) as { n: number }).n
    }
    if (n !== ACTIONS) throw new Error(`plain runs ended at ${n}`)
  }
  return performance.now() - start
}

async function pipelineRound(): Promise<number> {
  const start = performance.now()
  for (let r = 0; r < REPEATS; r++) {
    const runId = `pipeline-${round++}`
    const result = (await pipeline.run({ n: 0 }, { executor, store, runId })) as { n: number }
    if (result.n !== ACTIONS) throw new Error(`pipeline ended at ${result.n}`)
  }
  return performance.now() - start
}

try {
  const ms = await interleavedMedians(ROUNDS, { plain: plainRound, pipeline: pipelineRound })
  const plainRate = (ACTIONS * REPEATS) / (ms.plain.median / 1000)
  const pipelineRate = (ACTIONS * REPEATS) / (ms.pipeline.median / 1000)
  writeBenchResult({
    name: 'pipeline-overhead',
    metric: 'actions per second through a 100-action no-op pipeline, store attached',
    value: Math.round(pipelineRate),
    unit: 'actions/s',
    floor: Math.round(plainRate),
    // plain time / pipeline time: 1 means the pipeline costs nothing on top of its runs.
    ratio: Number((pipelineRate / plainRate).toFixed(3)),
    extra: {
      actions: ACTIONS,
      repeatsPerRound: REPEATS,
      rounds: ROUNDS,
      plainMsMedian: ms.plain.median,
      pipelineMsMedian: ms.pipeline.median,
      plainMs: ms.plain.times,
      pipelineMs: ms.pipeline.times,
    },
  })
} finally {
  await executor.close()
  await store.close()
  rmSync(dir, { recursive: true, force: true })
}
