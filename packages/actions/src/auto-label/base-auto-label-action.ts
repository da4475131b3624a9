import { PluginCategory } from '@synapse/core'
import { type StepRegistry, stepResult } from '@synapse/steps'
import type { z } from 'zod'
import { ActionStepContext, WorkflowAction } from '../workflow-action'

/** Progress categories of an auto-label run. */
export const AUTO_LABEL_PROGRESS = {
  INPUT_TRANSFORM: 'input_transform',
  INFERENCE: 'inference',
  OUTPUT_TRANSFORM: 'output_transform',
} as const

/** What an auto-label workflow's steps share. */
export class AutoLabelContext<TAction = unknown> extends ActionStepContext<TAction> {
  inputs: unknown
  predictions: unknown
  output: Record<string, unknown> = {}
}

/**
 * An auto-label action (a smart tool): `input_transform → inference → output_transform`. The
 * three hooks turn the params into model inputs, run the model, and shape its predictions as
 * annotations; the run's result is what {@link handleOutput} returns.
 */
export abstract class BaseAutoLabelAction<
  TParams extends z.ZodType = z.ZodType,
  TInput = unknown,
  TPrediction = unknown,
> extends WorkflowAction<
  TParams,
  AutoLabelContext<BaseAutoLabelAction<TParams, TInput, TPrediction>>
> {
  static override category = PluginCategory.SMART_TOOL
  /** The progress categories of the steps. */
  readonly progress = AUTO_LABEL_PROGRESS

  /** Params → model inputs. */
  abstract handleInput(): TInput | Promise<TInput>
  /** Model inputs → predictions (a workspace model through `this.workspace.getModel`, a service…). */
  abstract runInference(input: TInput): TPrediction | Promise<TPrediction>
  /** Predictions → the run's result (annotations). */
  abstract handleOutput(
    predictions: TPrediction,
  ): Record<string, unknown> | Promise<Record<string, unknown>>

  async execute(): Promise<Record<string, unknown>> {
    const { context } = await this.runWorkflow()
    return context.output
  }

  protected createContext() {
    return new AutoLabelContext<BaseAutoLabelAction<TParams, TInput, TPrediction>>(this, this.ctx)
  }

  protected setupSteps(
    registry: StepRegistry<AutoLabelContext<BaseAutoLabelAction<TParams, TInput, TPrediction>>>,
  ): void {
    const action = this
    registry.register({
      name: AUTO_LABEL_PROGRESS.INPUT_TRANSFORM,
      weight: 0.1,
      async execute(ctx) {
        ctx.inputs = await action.handleInput()
        ctx.setProgress(1, 1)
        return stepResult()
      },
    })
    registry.register({
      name: AUTO_LABEL_PROGRESS.INFERENCE,
      weight: 0.8,
      async execute(ctx) {
        ctx.predictions = await action.runInference(ctx.inputs as TInput)
        ctx.setProgress(1, 1)
        return stepResult()
      },
    })
    registry.register({
      name: AUTO_LABEL_PROGRESS.OUTPUT_TRANSFORM,
      weight: 0.1,
      async execute(ctx) {
        ctx.output = await action.handleOutput(ctx.predictions as TPrediction)
        ctx.setProgress(1, 1)
        return stepResult()
      },
    })
  }
}
