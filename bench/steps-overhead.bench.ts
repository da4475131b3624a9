// steps-overhead: 1,000 no-op steps through the Orchestrator, against the floor of the same work
// done by hand: a plain loop calling the same steps' execute, keeping their results and reporting
// the same overall progress through the context after each step. The loop awaits each execute,
// as any loop must when a step may be async; the orchestrator pays that only for async steps.
import { RunLogger, RuntimeContext } from '@synapse/core'
import { Orchestrator, type Step, StepContext, stepResult } from '@synapse/steps'
import { writeBenchResult } from './lib/bench-result'
import { interleavedMedians } from './lib/interleaved'

const STEPS = 1_000
// Each round runs the workflow this many times, so a round lasts tens of ms and scheduling and GC
// pauses average out.
const RUNS_PER_ROUND = 40
const ROUNDS = 9

const steps: Step[] = Array.from({ length: STEPS }, (_, i) => ({
  name: `step-${i}`,
  weight: 1,
  execute: () => stepResult(),
}))

/** A fresh run: its own logger (with a sink, as every real run has) and context. */
function freshRun(): { runtime: RuntimeContext; logger: RunLogger; events: { n: number } } {
  const events = { n: 0 }
  const logger = new RunLogger({ runId: 'bench', sinks: [{ write: () => void events.n++ }] })
  return { runtime: new RuntimeContext({ logger, runId: 'bench' }), logger, events }
}

/**
 * The hand-written loop: run each step, keep its result, report overall progress after it. It
 * awaits each `execute`, as a loop over steps that may be async must (the floor). Without the
 * await it is only sound when every step is known to be synchronous, which a general loop cannot
 * know: that variant is recorded next to the figure, not used as the floor.
 */
async function loopRound(awaitEach: boolean): Promise<number> {
  const start = performance.now()
  let kept = 0
  for (let r = 0; r < RUNS_PER_ROUND; r++) {
    const { runtime, logger } = freshRun()
    const ctx = new StepContext(runtime)
    const results = []
    runtime.setProgress(0, 100, 'overall')
    for (let i = 0; i < STEPS; i++) {
      const result = steps[i]!.execute(ctx)
      results.push(awaitEach ? await result : result)
      runtime.setProgress(((i + 1) / STEPS) * 100, 100, 'overall')
    }
    logger.finish()
    kept += results.length
  }
  const ms = performance.now() - start
  if (kept !== STEPS * RUNS_PER_ROUND) throw new Error('unreachable')
  return ms
}

async function orchestratorRound(): Promise<number> {
  const start = performance.now()
  let executed = 0
  for (let r = 0; r < RUNS_PER_ROUND; r++) {
    const { runtime, logger } = freshRun()
    const summary = await new Orchestrator(steps, new StepContext(runtime)).execute()
    logger.finish()
    executed += summary.stepsExecuted
  }
  const ms = performance.now() - start
  if (executed !== STEPS * RUNS_PER_ROUND) throw new Error('unreachable')
  return ms
}

const ms = await interleavedMedians(ROUNDS, {
  floor: () => loopRound(true),
  orchestrator: orchestratorRound,
  syncLoop: () => loopRound(false),
})
const perRound = STEPS * RUNS_PER_ROUND
const floorRate = perRound / (ms.floor.median / 1000)
const orchestratorRate = perRound / (ms.orchestrator.median / 1000)
writeBenchResult({
  name: 'steps-overhead',
  metric: 'no-op steps per second through Orchestrator.execute (1,000-step workflows)',
  value: Math.round(orchestratorRate),
  unit: 'steps/s',
  floor: Math.round(floorRate),
  // floor time / orchestrator time, i.e. orchestrator rate / floor rate.
  ratio: Number((orchestratorRate / floorRate).toFixed(3)),
  extra: {
    stepsPerWorkflow: STEPS,
    workflowsPerRound: RUNS_PER_ROUND,
    rounds: ROUNDS,
    floorMsMedian: ms.floor.median,
    orchestratorMsMedian: ms.orchestrator.median,
    syncLoopMsMedian: ms.syncLoop.median,
    floorMsAll: ms.floor.times,
    orchestratorMsAll: ms.orchestrator.times,
  },
})
