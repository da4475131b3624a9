import { mkdtemp, rm, writeFile } from 'node:fs/promises'
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

/** The trained model as it is stored: `weights.json` in the model's folder. */
export interface LineModel {
  slope: number
  intercept: number
}

/**
 * Trains a model. BaseTrainAction runs the steps around `train`: the workspace dataset of
 * `params.dataset` (converted to `targetFormat` if one is set), then this method, then the
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
