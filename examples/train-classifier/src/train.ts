import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BaseTrainAction, type TrainContext, trainParams } from '@synapse/actions'
import { z } from 'zod'
import { CROP, readCrops } from './images'
import { concat, saveClassifier } from './model-io'
import { tf, useCpu } from './tf'

export const TrainParams = trainParams({
  epochs: z.number().int().min(1).max(500).default(15),
  batchSize: z.number().int().min(1).default(16),
  learningRate: z.number().positive().max(1).default(0.01),
  hidden: z.number().int().min(1).max(1024).default(32).describe('Units of the hidden layer'),
  seed: z.number().int().default(7),
})

export const TrainResult = z.object({
  firstLoss: z.number(),
  finalLoss: z.number(),
  trainAccuracy: z.number(),
  valAccuracy: z.number().nullable(),
  epochs: z.number().int(),
  classes: z.array(z.string()),
  trainBoxes: z.number().int(),
  model: z.object({
    id: z.string(),
    name: z.string(),
    sha256: z.string(),
    size: z.number(),
    path: z.string(),
  }),
})

/**
 * Trains a small multilayer perceptron (one hidden ReLU layer, softmax out) that names the object
 * in a box, on the boxes of a workspace dataset (any format with boxes: it is converted to YOLO
 * detect first), with TensorFlow.js on the CPU. Each box is cropped and resampled to 12×12. Loss
 * and accuracy are reported per epoch; the weights are stored in the workspace as a model.
 */
export class TrainClassifier extends BaseTrainAction<typeof TrainParams> {
  static override actionName = 'train'
  static override description =
    'Train a box classifier (MLP, TensorFlow.js CPU) on the boxes of a workspace dataset'
  static override params = TrainParams
  static override result = TrainResult
  static override targetFormat = 'yolo' as const
  static override targetTask = 'detect' as const
  static override inputType = 'yolo_dataset'
  static override outputType = 'model_weights'

  async train(ctx: TrainContext) {
    await useCpu()
    const dataset = ctx.dataset ?? (await this.getDataset())
    const train = await readCrops(dataset.path, 'train')
    if (train === undefined) throw new Error(`${dataset.path}: the dataset has no train split`)
    const val = await readCrops(dataset.path, 'val', train.classes)
    const size = CROP * CROP
    this.logMessage(
      `Training on ${train.inputs.length} boxes (${train.classes.join(', ')}), ${val?.inputs.length ?? 0} for validation`,
    )
    const { epochs, batchSize, learningRate, hidden, seed } = this.params
    const model = tf.sequential({
      layers: [
        tf.layers.dense({
          inputShape: [size],
          units: hidden,
          activation: 'relu',
          kernelInitializer: tf.initializers.glorotUniform({ seed }),
        }),
        tf.layers.dense({
          units: train.classes.length,
          activation: 'softmax',
          kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
        }),
      ],
    })
    model.compile({
      optimizer: tf.train.adam(learningRate),
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy'],
    })
    const x = tf.tensor2d(concat(train.inputs, size), [train.inputs.length, size])
    const y = tf.oneHot(tf.tensor1d(train.labels, 'int32'), train.classes.length)
    const validation =
      val === undefined
        ? undefined
        : ([
            tf.tensor2d(concat(val.inputs, size), [val.inputs.length, size]),
            tf.oneHot(tf.tensor1d(val.labels, 'int32'), train.classes.length),
          ] as [tf.Tensor, tf.Tensor])
    const losses: number[] = []
    let trainAccuracy = 0
    let valAccuracy: number | null = null
    try {
      await model.fit(x, y, {
        epochs,
        batchSize,
        shuffle: true,
        verbose: 0,
        ...(validation !== undefined && { validationData: validation }),
        callbacks: {
          onEpochEnd: async (epoch, logs = {}) => {
            const loss = logs['loss'] ?? Number.NaN
            losses.push(loss)
            trainAccuracy = logs['acc'] ?? trainAccuracy
            valAccuracy = logs['val_acc'] ?? valAccuracy
            this.setMetrics({
              epoch: epoch + 1,
              loss: round(loss),
              accuracy: round(trainAccuracy),
              ...(logs['val_loss'] !== undefined && { valLoss: round(logs['val_loss']) }),
              ...(valAccuracy !== null && { valAccuracy: round(valAccuracy) }),
            })
            this.setProgress(epoch + 1, epochs, this.progress.TRAIN)
            // Stop between epochs when the run is cancelled.
            if (this.signal.aborted) model.stopTraining = true
          },
        },
      })
      this.ctx.throwIfCancelled()
      const dir = await mkdtemp(join(tmpdir(), 'synapse-classifier-'))
      await saveClassifier(model, { classes: train.classes, width: CROP, height: CROP }, dir)
      ctx.modelPath = dir
      ctx.modelMeta = {
        name: `classifier-${dataset.name}`,
        meta: {
          framework: 'tfjs',
          classes: train.classes,
          inputSize: [CROP, CROP],
          finalLoss: round(losses.at(-1)!),
          trainAccuracy: round(trainAccuracy),
          valAccuracy: valAccuracy === null ? null : round(valAccuracy),
          hyperparameters: { epochs, batchSize, learningRate, hidden, seed },
        },
      }
      // The workspace keeps its own copy; the temporary folder goes once that is made.
      this.#cleanup = () => rm(dir, { recursive: true, force: true })
    } finally {
      tf.dispose([x, y, ...(validation ?? [])])
      model.dispose()
    }
    return {
      firstLoss: round(losses[0]!),
      finalLoss: round(losses.at(-1)!),
      trainAccuracy: round(trainAccuracy),
      valAccuracy: valAccuracy === null ? null : round(valAccuracy),
      epochs: losses.length,
      classes: train.classes,
      trainBoxes: train.inputs.length,
    }
  }

  #cleanup: (() => Promise<void>) | undefined

  override async execute() {
    try {
      return await super.execute()
    } finally {
      await this.#cleanup?.()
    }
  }
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4
}
