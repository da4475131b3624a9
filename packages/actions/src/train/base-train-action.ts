import { resolve } from 'node:path'
import { PluginCategory } from '@synapse/core'
import type { DatasetFormat, YoloTask } from '@synapse/datasets'
import { type Step, type StepRegistry, stepResult } from '@synapse/steps'
import type { z } from 'zod'
import { datasetSourceOf, prepareDatasetFrom } from '../dataset/dataset-source'
import type { PreparedDataset } from '../dataset/prepare-dataset'
import { WorkflowAction } from '../workflow-action'
import type { ArtifactInput, ModelRecord } from '../workspace/workspace'
import { type CheckpointInfo, TrainContext } from './train-context'
import type { BaseTrainParams } from './train-params'

/** Progress categories of a training run, one per default step. */
export const TRAIN_PROGRESS = {
  DATASET: 'dataset',
  CONVERT: 'convert',
  TRAIN: 'train',
  MODEL_UPLOAD: 'model_upload',
} as const

/** Shares of the overall bar: training is the run; fetching, converting and storing are small. */
const WEIGHTS = { dataset: 0.1, convert: 0.1, train: 0.75, model_upload: 0.05 }

type TrainParamsOf = z.output<typeof BaseTrainParams>

/** The stored model as a run result shows it. */
export interface ModelRef {
  id: string
  name: string
  sha256: string
  size: number
  path: string
}

/**
 * A training action. By default its workflow is `dataset → convert → train → model_upload`:
 *
 * - `dataset` resolves `params.dataset` in the workspace, or reads the folder `params.path`
 *   (already in the class's `targetFormat`, as a pipeline's converter leaves it) and checks that
 *   it reads in that format; skipped with neither, an `INVALID_PARAMS` error with both;
 * - `convert` converts a workspace dataset to the class's `targetFormat` through
 *   `@synapse/datasets`, once (a kept conversion is reused) and logs the loss report; skipped for
 *   a folder;
 * - `train` calls {@link BaseTrainAction.train} with the context (dataset, checkpoint);
 * - `model_upload` stores `ctx.modelPath` in the workspace with its SHA-256 (skipped when
 *   `train` stored the model itself or produced none).
 *
 * A failure rolls the run back: a conversion made by this run and every model it stored are
 * removed. Override {@link BaseTrainAction.setupSteps} to change the workflow. The run's result
 * is what `train` returned, with `model` (the stored model) added.
 *
 * @example
 * export class Train extends BaseTrainAction<typeof Params> {
 *   static override params = Params
 *   static override targetFormat = 'yolo' as const
 *   async train(ctx: TrainContext) {
 *     for (let e = 1; e <= this.params.epochs; e++) this.setProgress(e, this.params.epochs)
 *     ctx.modelPath = await saveWeights()
 *     return { finalLoss }
 *   }
 * }
 */
export abstract class BaseTrainAction<
  TParams extends z.ZodType<TrainParamsOf> = typeof BaseTrainParams,
> extends WorkflowAction<TParams, TrainContext<BaseTrainAction<TParams>, z.output<TParams>>> {
  static override category = PluginCategory.NEURAL_NET
  /** The format `train` reads; the dataset is converted to it. `undefined`: as stored. */
  static targetFormat: DatasetFormat | undefined
  /** YOLO task to convert to, when the target is YOLO and the task cannot be inferred. */
  static targetTask: YoloTask | undefined

  /** The progress categories of the default steps. */
  readonly progress = TRAIN_PROGRESS

  /** The training itself. Report progress with `setProgress(current, total)` (category `train`). */
  abstract train(
    ctx: TrainContext<BaseTrainAction<TParams>, z.output<TParams>>,
  ): Record<string, unknown> | Promise<Record<string, unknown>>

  async execute(): Promise<Record<string, unknown>> {
    const { context } = await this.runWorkflow()
    const result = context.result ?? {}
    const model = context.model ?? context.createdModels.at(-1)
    return model === undefined ? result : { ...result, model: modelRef(model) }
  }

  protected createContext(): TrainContext<BaseTrainAction<TParams>, z.output<TParams>> {
    const ctx = new TrainContext<BaseTrainAction<TParams>, z.output<TParams>>(this, this.ctx)
    ctx.params = this.params
    return ctx
  }

  /** Registers the default steps; override to replace them (or call super and insert more). */
  protected setupSteps(
    registry: StepRegistry<TrainContext<BaseTrainAction<TParams>, z.output<TParams>>>,
  ): void {
    type Ctx = TrainContext<BaseTrainAction<TParams>, z.output<TParams>>
    const action = this
    const target = (this.constructor as typeof BaseTrainAction).targetFormat
    const dataset: Step<Ctx> = {
      name: TRAIN_PROGRESS.DATASET,
      weight: WEIGHTS.dataset,
      canSkip: () => this.params.dataset === undefined && this.params.path === undefined,
      async execute(ctx) {
        const source = datasetSourceOf(action.params)
        if (source !== undefined && 'path' in source) {
          // A folder in the target format already (a pipeline's converter made it): read in place.
          ctx.dataset = await action.getDataset()
          ctx.setProgress(1, 1)
          const { path, format, images } = ctx.dataset
          ctx.log('dataset_resolved', { path, format, images })
          return stepResult({ data: { path, format } })
        }
        const record = await action.workspace.getDataset(action.params.dataset as string)
        ctx.setProgress(1, 1)
        ctx.log('dataset_resolved', { id: record.id, format: record.format, images: record.images })
        return stepResult({ data: { id: record.id, format: record.format } })
      },
    }
    const convert: Step<Ctx> = {
      name: TRAIN_PROGRESS.CONVERT,
      weight: WEIGHTS.convert,
      // A folder given by `path` is in the target format already.
      canSkip: () => this.params.dataset === undefined,
      async execute(ctx) {
        ctx.dataset = await action.getDataset()
        ctx.setProgress(1, 1)
        return stepResult({
          data: { path: ctx.dataset.path, format: ctx.dataset.format },
          rollbackData: { created: ctx.dataset.created },
        })
      },
      async rollback(ctx, result) {
        const id = ctx.dataset?.id
        if (result.rollbackData['created'] === true && id !== undefined && target) {
          await action.workspace.removeConverted(id, target)
        }
      },
    }
    const train: Step<Ctx> = {
      name: TRAIN_PROGRESS.TRAIN,
      weight: WEIGHTS.train,
      async execute(ctx) {
        ctx.checkpoint ??= await action.getCheckpoint()
        ctx.result = await action.train(ctx)
        return stepResult({ data: { ...ctx.result } })
      },
      async rollback(ctx) {
        // Models the train step stored itself; model_upload undoes its own.
        for (const model of ctx.createdModels.splice(0).reverse()) {
          await action.workspace.deleteModel(model.id)
        }
      },
    }
    const upload: Step<Ctx> = {
      name: TRAIN_PROGRESS.MODEL_UPLOAD,
      weight: WEIGHTS.model_upload,
      canSkip: (ctx) => ctx.modelPath === undefined || ctx.model !== undefined,
      async execute(ctx) {
        ctx.setProgress(0, 1)
        const model = await action.workspace.createModel(
          ctx.modelPath!,
          action.#modelInput(ctx.modelMeta),
        )
        ctx.model = model
        ctx.setProgress(1, 1)
        ctx.log('model_stored', { id: model.id, sha256: model.sha256, size: model.size })
        return stepResult({ data: { model: model.id }, rollbackData: { model: model.id } })
      },
      async rollback(ctx, result) {
        const id = result.rollbackData['model']
        if (typeof id === 'string') await action.workspace.deleteModel(id)
        ctx.model = undefined
      },
    }
    registry.register(dataset)
    registry.register(convert)
    registry.register(train)
    registry.register(upload)
  }

  /**
   * The dataset to train on, in the class's `targetFormat`: the workspace dataset
   * `params.dataset`, converted through `@synapse/datasets` when its stored format differs (once;
   * the loss report goes to the run's log), or the folder `params.path`, already in that format
   * and read in place. Neither, both, an unknown id or a folder that does not read as the target
   * format fails naming the param, creating nothing.
   */
  async getDataset(): Promise<PreparedDataset> {
    const cls = this.constructor as typeof BaseTrainAction
    return prepareDatasetFrom(this.workspace, this.params, cls.targetFormat, {
      task: cls.targetTask,
      signal: this.signal,
      onProgress: (done, total) => {
        if (this.stepContext?.currentStep === TRAIN_PROGRESS.CONVERT && total > 0) {
          this.setProgress(Math.min(done, total), total)
        }
      },
      onReport: (text, report) => {
        this.logMessage(`Dataset converted: ${text}`)
        this.log('dataset_conversion', {
          from: report.from,
          to: report.to ?? null,
          losses: report.losses.length,
        })
      },
    })
  }

  /**
   * Where training starts from: the run's checkpoint when the executor gave one, else the
   * workspace model `params.checkpoint` (checked against its checksums), else `undefined`.
   */
  async getCheckpoint(): Promise<CheckpointInfo | undefined> {
    if (this.ctx.checkpoint !== undefined) return { ...this.ctx.checkpoint }
    const id = this.params.checkpoint
    if (id === undefined) return undefined
    const model = await this.getModel(id)
    const category = model.meta['category']
    return {
      category: typeof category === 'string' ? category : 'base',
      path: model.path,
      id: model.id,
      name: model.name,
    }
  }

  /**
   * Stores the file or folder at `path` in the workspace as a model, with its SHA-256 and
   * `meta` (the run id and action are added). Removed again if the run fails later.
   */
  async createModel(path: string, input: ArtifactInput = {}): Promise<ModelRecord> {
    const model = await this.workspace.createModel(path, this.#modelInput(input))
    const steps = this.stepContext
    if (steps !== undefined) {
      steps.createdModels.push(model)
      steps.model = model
    }
    return model
  }

  /** A workspace model, after checking its files against their checksums. */
  getModel(id: string): Promise<ModelRecord> {
    return this.workspace.getModel(id)
  }

  #modelInput(input: ArtifactInput | undefined): ArtifactInput {
    const cls = this.constructor as typeof BaseTrainAction
    return {
      name: input?.name ?? cls.actionName ?? 'model',
      meta: {
        ...input?.meta,
        runId: this.ctx.runId,
        ...(cls.actionName !== undefined && { action: cls.actionName }),
        ...(this.params.dataset !== undefined && { dataset: this.params.dataset }),
        ...(this.params.path !== undefined && { datasetPath: resolve(this.params.path) }),
      },
    }
  }
}

function modelRef(model: ModelRecord): ModelRef {
  return {
    id: model.id,
    name: model.name,
    sha256: model.sha256,
    size: model.size,
    path: model.path,
  }
}
