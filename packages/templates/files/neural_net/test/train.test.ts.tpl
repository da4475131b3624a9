import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveAction } from '@synapse/core'
import { createTestContext } from '@synapse/core/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { InferenceAction, InferenceParams } from '../src/inference'
import { TrainAction, TrainParams } from '../src/train'

let workspace: string
beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'plugin-workspace-'))
})
afterEach(() => rmSync(workspace, { recursive: true, force: true }))

const context = () => createTestContext({ env: { SYNAPSE_WORKSPACE: workspace } })

describe('train', () => {
  it('the loss falls and the model is stored with its checksum', async () => {
    const t = context()
    const result = (await resolveAction(TrainAction).run(
      TrainParams.parse({ epochs: 40 }),
      t.ctx,
    )) as { finalLoss: number; model: { id: string; sha256: string } }
    const losses = t.metrics('train').map((m) => m['loss'] as number)
    expect(losses).toHaveLength(40)
    expect(losses.at(-1)).toBeLessThan(losses[0]!)
    expect(result.finalLoss).toBeLessThan(losses[0]! / 10)
    expect(result.model.sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it('takes epochs from the first hyperparameter set, and refuses them out of range', () => {
    expect(TrainParams.parse({ hyperparameters: [{ epochs: 5 }] }).epochs).toBe(5)
    expect(TrainParams.safeParse({ epochs: 0 }).success).toBe(false)
  })
})

describe('inference', () => {
  it('predicts with the model training stored', async () => {
    const trained = (await resolveAction(TrainAction).run(
      TrainParams.parse({ epochs: 200 }),
      context().ctx,
    )) as { model: { id: string } }
    const result = (await resolveAction(InferenceAction).run(
      InferenceParams.parse({ model: trained.model.id, inputs: [0, 1, 2], batchSize: 2 }),
      context().ctx,
    )) as { predictions: number[]; processedCount: number }
    expect(result.processedCount).toBe(3)
    expect(result.predictions[0]).toBeCloseTo(1, 1)
    expect(result.predictions[2]).toBeCloseTo(7, 1)
  })
})
