import { BaseInferenceAction, BaseInferenceParams, type ModelRecord } from '@synapse/actions'
import { z } from 'zod'
import { type Box, readInput } from './images'
import { type ClassifierInfo, loadClassifier, predict } from './model-io'
import { type tf, useCpu } from './tf'

export const InferParams = BaseInferenceParams.extend({
  images: z
    .array(
      z.union([
        z.string().min(1),
        z.object({
          image: z.string().min(1),
          box: z
            .tuple([z.number(), z.number(), z.number().positive(), z.number().positive()])
            .optional(),
        }),
      ]),
    )
    .min(1)
    .describe('PNG files to classify, each whole or a box [x, y, w, h] of it in pixels'),
  batchSize: z.number().int().min(1).default(16),
})

type Loaded = { model: tf.LayersModel; info: ClassifierInfo }
type Request = { image: string; box?: Box | undefined }
type Prediction = { image: string; box: Box | null; label: string; confidence: number }

/** Names the object in PNG images (or boxes of them) with a classifier stored in the workspace. */
export class InferClassifier extends BaseInferenceAction<
  typeof InferParams,
  Loaded,
  Request,
  Prediction
> {
  static override actionName = 'infer'
  static override description = 'Classify PNG images with a stored classifier'
  static override params = InferParams
  static override inputType = 'model_weights'

  async loadModel(record: ModelRecord): Promise<Loaded> {
    await useCpu()
    return loadClassifier(record.path)
  }

  requests(): Request[] {
    return this.params.images.map((r) => (typeof r === 'string' ? { image: r } : r))
  }

  async infer(loaded: Loaded, batch: Request[]): Promise<Prediction[]> {
    const { info } = loaded
    const inputs: Float32Array[] = []
    for (const request of batch) inputs.push(await readInput(request.image, request.box))
    return predict(loaded.model, inputs, info.width * info.height).map((p, i) => {
      const best = p.indexOf(Math.max(...p))
      return {
        image: batch[i]!.image,
        box: batch[i]!.box ?? null,
        label: info.classes[best]!,
        confidence: Math.round(p[best]! * 1e4) / 1e4,
      }
    })
  }
}
