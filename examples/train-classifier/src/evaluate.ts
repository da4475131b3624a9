import {
  BaseInferenceAction,
  BaseInferenceParams,
  type InferenceContext,
  type ModelRecord,
  prepareDatasetFrom,
} from '@synapse/actions'
import { z } from 'zod'
import { readCrops } from './images'
import { type ClassifierInfo, loadClassifier, predict } from './model-io'
import { type tf, useCpu } from './tf'

export const EvaluateParams = BaseInferenceParams.extend({
  dataset: z
    .string()
    .min(1)
    .optional()
    .describe('Workspace dataset id (any format with boxes); or give path'),
  path: z
    .string()
    .min(1)
    .optional()
    .describe('YOLO detect dataset folder (a pipeline converter output); or give dataset'),
  split: z.string().default('val'),
  batchSize: z.number().int().min(1).default(32),
})

type Loaded = { model: tf.LayersModel; info: ClassifierInfo }
type Sample = { input: Float32Array; label: number }

/**
 * Scores a stored box classifier on the boxes of a split of a dataset (a workspace dataset, or a
 * YOLO folder given by `path` as training takes them): accuracy, per-class accuracy and the
 * confusion matrix (rows: true class, columns: predicted).
 */
export class EvaluateClassifier extends BaseInferenceAction<
  typeof EvaluateParams,
  Loaded,
  Sample,
  number
> {
  static override actionName = 'evaluate'
  static override description =
    'Accuracy and confusion matrix of a stored classifier on a dataset split'
  static override params = EvaluateParams
  static override inputType = 'model_weights'
  #classes: string[] = []

  async loadModel(record: ModelRecord): Promise<Loaded> {
    await useCpu()
    return loadClassifier(record.path)
  }

  async requests(): Promise<Sample[]> {
    const ctx = this.stepContext as InferenceContext
    const info = (ctx.model as Loaded).info
    // The dataset as YOLO boxes: the same kept conversion training used, or the folder given.
    const dataset = await prepareDatasetFrom(this.workspace, this.params, 'yolo', {
      task: 'detect',
    })
    const split = await readCrops(dataset.path, this.params.split, info.classes)
    if (split === undefined) throw new Error(`${dataset.path}: no '${this.params.split}' split`)
    this.#classes = info.classes
    return split.inputs.map((input, i) => ({ input, label: split.labels[i]! }))
  }

  infer(loaded: Loaded, batch: Sample[]): number[] {
    const probabilities = predict(
      loaded.model,
      batch.map((s) => s.input),
      loaded.info.width * loaded.info.height,
    )
    return probabilities.map((p) => p.indexOf(Math.max(...p)))
  }

  override finish(ctx: InferenceContext): Record<string, unknown> {
    const samples = ctx.requests as Sample[]
    const predicted = ctx.results as number[]
    const n = this.#classes.length
    const confusion = Array.from({ length: n }, () => new Array<number>(n).fill(0))
    samples.forEach((s, i) => {
      confusion[s.label]![predicted[i]!]!++
    })
    const correct = samples.filter((s, i) => s.label === predicted[i]).length
    const accuracy = samples.length === 0 ? 0 : correct / samples.length
    const perClass = Object.fromEntries(
      this.#classes.map((name, c) => {
        const total = confusion[c]!.reduce((a, b) => a + b, 0)
        return [name, total === 0 ? null : confusion[c]![c]! / total]
      }),
    )
    this.setMetrics({ accuracy, correct, total: samples.length }, 'evaluation')
    // Class names, not indices, in the result.
    ctx.results = predicted.map((c) => this.#classes[c])
    return { accuracy, correct, total: samples.length, classes: this.#classes, perClass, confusion }
  }
}
