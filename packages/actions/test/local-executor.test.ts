import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { BaseTrainAction, LocalWorkspace, type TrainContext, trainParams } from '@synapse/actions'
import { PluginEnvironment, type RunEvent } from '@synapse/core'
import { LocalExecutor } from '@synapse/executor-local'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { tempDir } from './support'

const Params = trainParams({ epochs: z.number().int().min(1).default(3) })

class CountingTrain extends BaseTrainAction<typeof Params> {
  static override actionName = 'counting-train'
  static override params = Params
  async train(ctx: TrainContext) {
    for (let e = 1; e <= this.params.epochs; e++) {
      this.setProgress(e, this.params.epochs)
      await new Promise((r) => setTimeout(r, 1))
    }
    const file = join(tmp.dir, 'w.txt')
    writeFileSync(file, 'w')
    ctx.modelPath = file
    return { epochs: this.params.epochs }
  }
}

let tmp: ReturnType<typeof tempDir>
const executor = new LocalExecutor()
beforeEach(() => {
  tmp = tempDir()
})
afterEach(() => tmp.remove())
afterAll(() => executor.close())

describe('a training action on LocalExecutor', () => {
  it('completes with the stored model in its result and the overall bar at 100', async () => {
    const ws = join(tmp.dir, 'ws')
    const runId = await executor.submit({
      action: CountingTrain,
      params: { hyperparameters: [{ epochs: 4 }] },
      env: new PluginEnvironment({ SYNAPSE_WORKSPACE: ws }),
    })
    const outcome = await executor.wait(runId)
    expect(outcome.status).toBe('completed')
    const result = outcome.result as { epochs: number; model: { id: string } }
    expect(result.epochs).toBe(4)
    const model = await new LocalWorkspace(ws).getModel(result.model.id)
    expect(model.meta).toMatchObject({ runId, action: 'counting-train' })
    const events: RunEvent[] = []
    for await (const event of executor.events(runId)) events.push(event)
    const overall = events.filter((e) => e.type === 'progress' && e.category === 'overall')
    expect(overall.at(-1)).toMatchObject({ percent: 100 })
    expect(events.some((e) => e.type === 'progress' && e.category === 'train')).toBe(true)
  })
})
