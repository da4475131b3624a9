import type { ProgressEventBody } from '@synapse/core'

/**
 * The pipeline's percent from its steps' own: each step owns a share of 100 proportional to its
 * weight, a completed step counts whole and the running one by its own percent (the average of
 * its progress categories, so an action's step roll-up counts inside its share).
 */
export class PipelineProgress {
  readonly #weights: readonly number[]
  readonly #total: number
  /** All weights zero: every step counts one. */
  readonly #equal: boolean
  readonly #started = performance.now()
  #done = 0
  #completed = 0

  constructor(weights: readonly number[], completedBefore: number) {
    this.#weights = weights
    // All-zero weights would divide by zero: count the steps instead.
    const total = weights.reduce((a, b) => a + b, 0)
    this.#equal = total <= 0
    this.#total = this.#equal ? weights.length : total
    for (let i = 0; i < completedBefore; i++) this.complete(i)
  }

  /** Marks step `index` completed and returns the pipeline's percent. */
  complete(index: number): number {
    this.#done += this.#share(index)
    this.#completed++
    return this.percent(index + 1, 0)
  }

  /** The pipeline's percent while step `index` stands at `stepPercent`. */
  percent(index: number, stepPercent: number): number {
    const running = index < this.#weights.length ? (this.#share(index) * stepPercent) / 100 : 0
    return round2(Math.min(100, ((this.#done + running) / this.#total) * 100))
  }

  /** A progress event body for the pipeline's own category at `percent`. */
  event(category: string, percent: number): ProgressEventBody {
    const elapsedSeconds = round2((performance.now() - this.#started) / 1000)
    return {
      type: 'progress',
      category,
      current: this.#completed,
      total: this.#weights.length,
      percent,
      etaSeconds:
        percent > 0 && percent < 100 ? round2((elapsedSeconds * (100 - percent)) / percent) : null,
      elapsedSeconds,
    }
  }

  #share(index: number): number {
    return this.#equal ? 1 : (this.#weights[index] ?? 0)
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100
}
