import { readFile } from 'node:fs/promises'
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
 * workspace (checksums checked), then calls `infer` batch by batch with progress.
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
