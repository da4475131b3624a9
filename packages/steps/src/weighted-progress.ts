/**
 * The overall percent of a run made of weighted steps: each step owns a share of 100 in
 * proportion to its weight, and the overall is the shares of the steps done plus the current
 * step's share times its fraction. What it reports only ever grows and never passes 100, so a
 * step that restarts its own progress (a retry, a second pass) cannot move the overall bar back.
 */
export class WeightedProgress {
  readonly #shares: number[]
  readonly #report: (percent: number) => void
  #done = 0
  #reported = -1

  /**
   * `weights` in step order; when they are all 0 every step counts the same. `report` receives
   * each new overall percent (rounded to 2 decimals), in increasing order.
   */
  constructor(weights: readonly number[], report: (percent: number) => void) {
    let total = 0
    for (const w of weights) total += w
    this.#shares =
      total > 0 ? weights.map((w) => (w / total) * 100) : weights.map(() => 100 / weights.length)
    this.#report = report
  }

  /** The last percent reported, or -1 before {@link WeightedProgress.start}. */
  get percent(): number {
    return this.#reported
  }

  /** Reports 0: the run has started (the logger's clock for the ETA starts here). */
  start(): void {
    this.#emit(0)
  }

  /** The step at `index` is `fraction` (0..1) done. */
  step(index: number, fraction: number): void {
    const f = Math.min(1, Math.max(0, fraction))
    this.#emit(this.#done + (this.#shares[index] ?? 0) * f)
  }

  /** The step at `index` is done (or skipped): its whole share is credited. */
  complete(index: number): void {
    this.#done += this.#shares[index] ?? 0
    this.#emit(this.#done)
  }

  /** Every step is done: reports exactly 100, whatever rounding the shares had. */
  finish(): void {
    this.#emit(100)
  }

  #emit(value: number): void {
    const rounded = Math.min(100, Math.round(value * 100) / 100)
    if (rounded <= this.#reported) return
    this.#reported = rounded
    this.#report(rounded)
  }
}
