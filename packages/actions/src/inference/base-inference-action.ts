import { PluginCategory } from '@synapse/core'
import { type StepRegistry, stepResult } from '@synapse/steps'
import { z } from 'zod'
import { ActionStepContext, WorkflowAction } from '../workflow-action'
import type { ModelRecord } from '../workspace/workspace'

/** Progress categories of an inference run. */
export const INFERENCE_PROGRESS = {
  MODEL_LOAD: 'model_load',
  INFERENCE: 'inference',
  POSTPROCESS: 'postprocess',
} as const

/** The params every inference action takes: the workspace model and the batch size. */
export const BaseInferenceParams = z
  .object({
    model: z.string().min(1).describe('Workspace model id'),
    batchSize: z.number().int().min(1).default(1),
  })
  .loose()

/** What an inference workflow's steps share. */
export class InferenceContext<TAction = unknown> extends ActionStepContext<TAction> {
  modelRecord: ModelRecord | undefined
  model: unknown
  requests: unknown[] = []
  results: unknown[] = []
  processedCount = 0
}

/**
 * An inference action: `model_load → inference → postprocess`. `model_load` fetches
 * `params.model` from the workspace (checksums checked) and calls {@link loadModel};
 * `inference` takes {@link requests} in batches of `batchSize` through {@link infer}, reporting
 * progress per batch; `postprocess` maps the predictions. The result is
 * `{predictions, processedCount}` plus what {@link finish} adds.
 */
export abstract class BaseInferenceAction<
  TParams extends z.ZodType<z.output<typeof BaseInferenceParams>> = typeof BaseInferenceParams,
  TModel = unknown,
  TRequest = unknown,
  TPrediction = unknown,
> extends WorkflowAction<
  TParams,
  InferenceContext<BaseInferenceAction<TParams, TModel, TRequest, TPrediction>>
> {
  static override category = PluginCategory.NEURAL_NET
  /** The progress categories of the steps. */
  readonly progress = INFERENCE_PROGRESS

  /** Turns a stored model (its files at `record.path`) into something {@link infer} can use. */
  abstract loadModel(record: ModelRecord): TModel | Promise<TModel>
  /** The inputs to predict on. */
  abstract requests(): TRequest[] | Promise<TRequest[]>
  /** Predictions for one batch, one per request, in order. */
  abstract infer(model: TModel, batch: TRequest[]): TPrediction[] | Promise<TPrediction[]>
  /** Maps the predictions once all are made; the identity by default. */
  postprocess(predictions: TPrediction[]): unknown[] | Promise<unknown[]> {
    return predictions
  }
  /** Extra result fields; none by default. */
  finish(_ctx: InferenceContext): Record<string, unknown> | Promise<Record<string, unknown>> {
    return {}
  }

  async execute(): Promise<Record<string, unknown>> {
    const { context } = await this.runWorkflow()
    // finish may replace the predictions (indices by names, say), so it runs first.
    const extra = await this.finish(context)
    return { predictions: context.results, processedCount: context.processedCount, ...extra }
  }

  protected createContext() {
    return new InferenceContext<BaseInferenceAction<TParams, TModel, TRequest, TPrediction>>(
      this,
      this.ctx,
    )
  }

  protected setupSteps(
    registry: StepRegistry<
      InferenceContext<BaseInferenceAction<TParams, TModel, TRequest, TPrediction>>
    >,
  ): void {
    const action = this
    registry.register({
      name: INFERENCE_PROGRESS.MODEL_LOAD,
      weight: 0.1,
      async execute(ctx) {
        ctx.modelRecord = await action.workspace.getModel(action.params.model)
        ctx.model = await action.loadModel(ctx.modelRecord)
        ctx.setProgress(1, 1)
        return stepResult({ data: { model: ctx.modelRecord.id } })
      },
    })
    registry.register({
      name: INFERENCE_PROGRESS.INFERENCE,
      weight: 0.8,
      async execute(ctx) {
        const requests = await action.requests()
        ctx.requests = requests
        const size = action.params.batchSize
        const predictions: TPrediction[] = []
        for (let i = 0; i < requests.length; i += size) {
          ctx.throwIfCancelled()
          const batch = requests.slice(i, i + size)
          const out = await action.infer(ctx.model as TModel, batch)
          if (out.length !== batch.length) {
            throw new Error(
              `infer returned ${out.length} predictions for a batch of ${batch.length} (requests ${i}..${i + batch.length - 1})`,
            )
          }
          predictions.push(...out)
          ctx.processedCount = predictions.length
          ctx.setProgress(predictions.length, requests.length)
        }
        if (requests.length === 0) ctx.setProgress(1, 1)
        ctx.results = predictions
        return stepResult({ data: { processedCount: predictions.length } })
      },
    })
    registry.register({
      name: INFERENCE_PROGRESS.POSTPROCESS,
      weight: 0.1,
      async execute(ctx) {
        ctx.results = await action.postprocess(ctx.results as TPrediction[])
        ctx.setProgress(1, 1)
        return stepResult()
      },
    })
  }
}
