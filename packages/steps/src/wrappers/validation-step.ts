import { ValidationError } from '@synapse/core'
import type { Step } from '../step'
import type { StepContext } from '../step-context'
import { type StepResult, stepResult } from '../step-result'

/**
 * What a validator says: `true` when the context is fit to go on; `false` or a message saying
 * what is wrong when it is not.
 */
export type ValidationOutcome = boolean | string

/** How a {@link ValidationStep} is set up. */
export interface ValidationStepOptions<TContext extends StepContext> {
  /** Checks the context; may be async. */
  validate: (ctx: TContext) => ValidationOutcome | Promise<ValidationOutcome>
  /** Default `validate`. */
  name?: string
  /** Default 0.05. */
  weight?: number
}

/**
 * A step that checks the context and fails the run (rolling back what ran before it) when the
 * check does not pass. The failure is a core `ValidationError` naming the step; it is never
 * retried, since checking the same context again gives the same answer.
 *
 * @example
 * new ValidationStep<UploadContext>({
 *   name: 'validate_input',
 *   validate: (ctx) => ctx.files.length > 0 || 'No files provided',
 * })
 */
export class ValidationStep<TContext extends StepContext = StepContext> implements Step<TContext> {
  // See `Step`: the options' name and weight, or their defaults.
  readonly name: string
  readonly weight: number
  /** One attempt, whatever the orchestrator's default: the same context gives the same answer. */
  readonly retry = { attempts: 1 }
  readonly #validate: ValidationStepOptions<TContext>['validate']

  constructor(options: ValidationStepOptions<TContext>) {
    this.name = options.name ?? 'validate'
    this.weight = options.weight ?? 0.05
    this.#validate = options.validate
  }

  /** Runs the validator; a failed result carries a `ValidationError` with its message. */
  async execute(ctx: TContext): Promise<StepResult> {
    const outcome = await this.#validate(ctx)
    if (outcome === true) return stepResult()
    const message = typeof outcome === 'string' && outcome !== '' ? outcome : 'validation failed'
    return stepResult({
      error: new ValidationError(`Step '${this.name}': ${message}`, [], {
        details: { step: this.name },
      }),
    })
  }
}
