// Sources of the neural_net template: a training action on BaseTrainAction and an inference
// action on BaseInferenceAction that reads the model training stored. The model is a straight
// line fitted by gradient descent, so the plugin trains, stores and predicts as generated; the
// comments mark what a real plugin replaces.

/** `src/train.ts` of a neural_net plugin. */
export const trainSource = `import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BaseTrainAction, trainParams } from '@synapse/actions'
import { z } from 'zod'

/**
 * Training params: the base ones (dataset, splits, checkpoint, hyperparameters) and these. The
 * first hyperparameter set fills the params not given, so a tuning run can pass them there.
 */
export const TrainParams = trainParams({
  epochs: z.number().int().min(1).max(1000).default(10).describe('Passes over the data'),
  batchSize: z.number().int().min(1).max(512).default(32).describe('Samples per step'),
  learningRate: z.number().min(1e-6).max(1).default(0.5).describe('Gradient step size'),
})

/** The trained model as it is stored: \`weights.json\` in the model's folder. */
export interface LineModel {
  slope: number
  intercept: number
}

/**
 * Trains a model. BaseTrainAction runs the steps around \`train\`: the workspace dataset of
 * \`params.dataset\` (converted to \`targetFormat\` if one is set), then this method, then the
 * model it stores. Replace the loop with your framework's; this one fits y = 3x + 1.
 */
export class TrainAction extends BaseTrainAction<typeof TrainParams> {
  static override description = 'Train a model and store it in the workspace'
  static override params = TrainParams
  static override outputType = 'model_weights'

  async train() {
    const { epochs, batchSize, learningRate } = this.params
    const xs = Array.from({ length: 64 }, (_, i) => i / 63)
    const ys = xs.map((x) => 3 * x + 1)
    const model: LineModel = { slope: 0, intercept: 0 }
    let loss = Number.POSITIVE_INFINITY
    for (let epoch = 1; epoch <= epochs; epoch++) {
      this.ctx.throwIfCancelled()
      for (let start = 0; start < xs.length; start += batchSize) {
        let dSlope = 0
        let dIntercept = 0
        const end = Math.min(start + batchSize, xs.length)
        for (let i = start; i < end; i++) {
          const error = model.slope * xs[i]! + model.intercept - ys[i]!
          dSlope += (2 * error * xs[i]!) / (end - start)
          dIntercept += (2 * error) / (end - start)
        }
        model.slope -= learningRate * dSlope
        model.intercept -= learningRate * dIntercept
      }
      loss = xs.reduce((sum, x, i) => sum + (model.slope * x + model.intercept - ys[i]!) ** 2, 0)
      loss /= xs.length
      this.setProgress(epoch, epochs)
      this.setMetrics({ epoch, loss })
    }
    // The workspace copies the folder and records each file's SHA-256; a failed run removes it.
    const dir = await mkdtemp(join(tmpdir(), 'synapse-train-'))
    try {
      await writeFile(join(dir, 'weights.json'), JSON.stringify(model))
      await this.createModel(dir, { name: 'line', meta: { epochs } })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    return { epochs, finalLoss: loss }
  }
}
`

/** `src/inference.ts` of a neural_net plugin. */
export const inferenceSource = `import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { BaseInferenceAction, BaseInferenceParams, type ModelRecord } from '@synapse/actions'
import { z } from 'zod'
import type { LineModel } from './train'

/** Inference params: the workspace model and batch size of the base, and the inputs. */
export const InferenceParams = BaseInferenceParams.extend({
  inputs: z.array(z.number()).min(1).describe('Values to predict for'),
})

/**
 * Predicts with a model the train action stored. BaseInferenceAction loads it from the
 * workspace (checksums checked), then calls \`infer\` batch by batch with progress.
 */
export class InferenceAction extends BaseInferenceAction<
  typeof InferenceParams,
  LineModel,
  number,
  number
> {
  static override description = 'Predict with a stored model'
  static override params = InferenceParams
  static override inputType = 'model_weights'

  async loadModel(record: ModelRecord): Promise<LineModel> {
    return JSON.parse(await readFile(join(record.path, 'weights.json'), 'utf8')) as LineModel
  }

  requests(): number[] {
    return this.params.inputs
  }

  infer(model: LineModel, batch: number[]): number[] {
    return batch.map((x) => model.slope * x + model.intercept)
  }
}
`

/** `test/train.test.ts` of a neural_net plugin. */
export const neuralNetTest = `import { mkdtempSync, rmSync } from 'node:fs'
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
`
