import { BaseInferenceAction, BaseInferenceParams, type ModelRecord } from '@synapse/actions'
import { z } from 'zod'
import { readImage } from './images'
import { type ClassifierInfo, loadClassifier, predict } from './model-io'
import { type tf, useCpu } from './tf'

export const InferParams = BaseInferenceParams.extend({
  images: z.array(z.string().min(1)).min(1).describe('PNG files to classify'),
  batchSize: z.number().int().min(1).default(16),
})

type Loaded = { model: tf.LayersModel; info: ClassifierInfo }
type Prediction = { image: string; label: string; confidence: number }

/** Classifies PNG images with a classifier stored in the workspace. */
export class InferClassifier extends BaseInferenceAction<
  typeof InferParams,
  Loaded,
  string,
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

  requests(): string[] {
    return this.params.images
  }

  async infer(loaded: Loaded, batch: string[]): Promise<Prediction[]> {
    const { info } = loaded
    const inputs: Float32Array[] = []
    for (const file of batch) {
      const image = await readImage(file)
      if (image.width !== info.width || image.height !== info.height) {
        throw new Error(
          `${file}: ${image.width}×${image.height}, the model takes ${info.width}×${info.height}`,
        )
      }
      inputs.push(image.input)
    }
    return predict(loaded.model, inputs, info.width * info.height).map((p, i) => {
      const best = p.indexOf(Math.max(...p))
      return {
        image: batch[i]!,
        label: info.classes[best]!,
        confidence: Math.round(p[best]! * 1e4) / 1e4,
      }
    })
  }
}
