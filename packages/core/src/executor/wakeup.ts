/**
 * Followers waiting for something new: each `wait` resolves at the next `wakeAll`, or when its
 * signal aborts (whichever comes first), so a follower never waits past its reader's interest.
 */
export class Wakeup {
  #waiting: (() => void)[] = []

  /** Resolves at the next {@link Wakeup.wakeAll}, or at once if `signal` aborts. */
  wait(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        signal?.removeEventListener('abort', done)
        resolve()
      }
      this.#waiting.push(done)
      signal?.addEventListener('abort', done, { once: true })
    })
  }

  /** Wakes every follower waiting now. */
  wakeAll(): void {
    const waiting = this.#waiting
    this.#waiting = []
    for (const wake of waiting) wake()
  }
}
