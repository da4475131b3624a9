import { StepUsageError } from './errors/step-usage-error'
import type { Step } from './step'
import type { StepContext } from './step-context'

/**
 * The ordered steps of a workflow. Names are unique (they key results and progress categories),
 * and every change is checked when made, so a misspelt anchor fails where it is written.
 *
 * @example
 * const registry = new StepRegistry<UploadContext>()
 *   .register(validate)
 *   .register(upload)
 *   .register(finalize)
 * registry.insertAfter('validate', compress)
 * registry.unregister('compress')
 */
export class StepRegistry<TContext extends StepContext = StepContext> {
  readonly #steps: Step<TContext>[] = []

  /** Adds `step` at the end. Returns the registry, for chaining. */
  register(step: Step<TContext>): this {
    this.#check(step)
    this.#steps.push(step)
    return this
  }

  /** Removes the step named `name`; `true` if there was one. */
  unregister(name: string): boolean {
    const index = this.#steps.findIndex((s) => s.name === name)
    if (index === -1) return false
    this.#steps.splice(index, 1)
    return true
  }

  /** Inserts `step` right before the step named `anchor` (`STEP_NOT_FOUND` if none). */
  insertBefore(anchor: string, step: Step<TContext>): this {
    const index = this.#indexOf(anchor, 'insertBefore')
    this.#check(step)
    this.#steps.splice(index, 0, step)
    return this
  }

  /** Inserts `step` right after the step named `anchor` (`STEP_NOT_FOUND` if none). */
  insertAfter(anchor: string, step: Step<TContext>): this {
    const index = this.#indexOf(anchor, 'insertAfter')
    this.#check(step)
    this.#steps.splice(index + 1, 0, step)
    return this
  }

  /** Whether a step named `name` is registered. */
  has(name: string): boolean {
    return this.#steps.some((s) => s.name === name)
  }

  /** A copy of the steps in order: changing it leaves the registry as it was. */
  getSteps(): Step<TContext>[] {
    return [...this.#steps]
  }

  /** The step names in order. */
  get names(): string[] {
    return this.#steps.map((s) => s.name)
  }

  /** Sum of the steps' weights. */
  get totalWeight(): number {
    let total = 0
    for (const step of this.#steps) total += step.weight
    return total
  }

  /** Number of steps. */
  get size(): number {
    return this.#steps.length
  }

  #indexOf(anchor: string, operation: string): number {
    const index = this.#steps.findIndex((s) => s.name === anchor)
    if (index === -1) {
      throw new StepUsageError(
        'STEP_NOT_FOUND',
        `${operation}: step '${anchor}' not found (registered: ${this.names.join(', ') || 'none'})`,
        { details: { step: anchor, registered: this.names } },
      )
    }
    return index
  }

  #check(step: Step<TContext>): void {
    assertValidStep(step)
    if (this.has(step.name)) {
      throw new StepUsageError('STEP_DUPLICATE', `Step '${step.name}' is already registered`, {
        details: { step: step.name },
      })
    }
  }
}

/** Rejects a step with no name, a weight that is negative or not finite, or a bad timeout. */
export function assertValidStep(step: Step<never>): void {
  const name: unknown = step?.name
  if (typeof name !== 'string' || name === '') {
    throw new StepUsageError('STEP_INVALID', 'A step needs a non-empty name')
  }
  if (typeof step.execute !== 'function') {
    throw new StepUsageError('STEP_INVALID', `Step '${name}' has no execute function`, {
      details: { step: name },
    })
  }
  if (!(step.weight >= 0) || !Number.isFinite(step.weight)) {
    throw new StepUsageError(
      'STEP_INVALID',
      `Step '${name}' has weight ${step.weight}; a weight is a finite number ≥ 0`,
      { details: { step: name, weight: step.weight } },
    )
  }
  if (step.timeoutMs !== undefined && !(step.timeoutMs > 0)) {
    throw new StepUsageError(
      'STEP_INVALID',
      `Step '${name}' has timeoutMs ${step.timeoutMs}; a timeout is a number > 0`,
      { details: { step: name, timeoutMs: step.timeoutMs } },
    )
  }
}
