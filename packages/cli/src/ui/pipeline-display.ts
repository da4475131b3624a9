import type { RunEvent } from '@synapse/core'
import { applyPipelineEvent, type PipelineState, type StepState } from '@synapse/pipelines'
import { formatDuration } from './table'

const BAR_WIDTH = 20

/** When each step of a pipeline run started and ended, as its events say. */
interface StepTimes {
  startedAt?: number
  endedAt?: number
}

/**
 * A pipeline run folded from its events, with when each step ran: what `pipeline status` prints
 * and what the live display draws.
 */
export class PipelineView {
  readonly state: PipelineState
  readonly #times: StepTimes[] = []

  constructor(state: PipelineState) {
    this.state = state
  }

  /** Folds one event in; true when a step changed status (a line worth printing). */
  apply(event: RunEvent): boolean {
    const before = this.state.steps.map((s) => s.status)
    applyPipelineEvent(this.state, event)
    const time = Date.parse(event.time)
    let changed = before.length !== this.state.steps.length
    this.state.steps.forEach((step, i) => {
      if (step.status === before[i]) return
      changed = true
      const times = this.#times[i] ?? {}
      this.#times[i] = times
      if (step.status === 'running') {
        times.startedAt = time
        delete times.endedAt
      } else if (step.status === 'pending') {
        // Cancelled while running (it stays pending for a resume), or reset by a new attempt.
        if (times.startedAt !== undefined && before[i] === 'running') times.endedAt = time
        else delete this.#times[i]
      } else times.endedAt = time
    })
    return changed
  }

  /** How long the step ran (so far, for one still running); undefined before it started. */
  elapsedMs(index: number, now = Date.now()): number | undefined {
    const times = this.#times[index]
    if (times?.startedAt === undefined) return undefined
    return (times.endedAt ?? now) - times.startedAt
  }

  /**
   * One line per step: number, name, bar, percent, status, elapsed time, and a loss if any.
   * `running: false` leaves out the time of a step still running (a line printed once).
   */
  lines(now = Date.now(), options: { running?: boolean } = {}): string[] {
    const width = Math.max(...this.state.steps.map((s) => s.name.length + kindMark(s).length))
    const count = this.state.steps.length
    const timed = options.running ?? true
    return this.state.steps.map((step) =>
      renderStepLine(
        step,
        count,
        width,
        step.status === 'running' && !timed ? undefined : this.elapsedMs(step.index, now),
        this.#wasCancelled(step.index) ? 'cancelled' : step.status,
      ),
    )
  }

  /** A step stopped by a cancel is pending again (a resume runs it), but it did run. */
  #wasCancelled(index: number): boolean {
    const times = this.#times[index]
    return (
      this.state.status === 'cancelled' &&
      this.state.steps[index]?.status === 'pending' &&
      times?.endedAt !== undefined
    )
  }
}

/** `  2/3  slow          [██████████░░░░░░░░░░]  50.0%  running    1.2s` */
export function renderStepLine(
  step: StepState,
  count: number,
  width: number,
  elapsedMs: number | undefined,
  status: string = step.status,
): string {
  const filled = Math.round((Math.min(100, Math.max(0, step.percent)) / 100) * BAR_WIDTH)
  const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled)
  const name = `${step.name}${kindMark(step)}`.padEnd(width)
  const elapsed = elapsedMs === undefined ? '' : formatDuration(elapsedMs)
  const loss = step.loss === undefined ? '' : `  lost: ${step.loss.summary}`
  const number = `${step.index + 1}/${count}`.padStart(String(count).length * 2 + 1)
  return `  ${number}  ${name}  [${bar}] ${step.percent.toFixed(1).padStart(5)}%  ${status.padEnd(9)}  ${elapsed}${loss}`.trimEnd()
}

function kindMark(step: StepState): string {
  return step.kind === 'converter' ? ' (converter)' : ''
}

/**
 * Shows a pipeline run to a person as it goes. On a terminal: one live line per step, redrawn
 * as events arrive and every second (the running step's time moves). Elsewhere (CI logs,
 * pipes): a line each time a step changes status.
 */
export class PipelineDisplay {
  readonly #out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }
  readonly #live: boolean
  readonly #view: PipelineView
  /** Off a terminal: the status each step was last printed with. */
  readonly #printed: string[] = []
  #drawn = 0
  #timer: NodeJS.Timeout | undefined

  constructor(
    view: PipelineView,
    out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number } = process.stderr,
  ) {
    this.#out = out
    this.#view = view
    this.#live = out.isTTY === true && process.env['TERM'] !== 'dumb'
    if (this.#live) {
      this.#draw()
      this.#timer = setInterval(() => this.#redraw(), 1000).unref()
    }
  }

  handle(event: RunEvent): void {
    const changed = this.#view.apply(event)
    if (this.#live) {
      this.#redraw()
      return
    }
    if (!changed) return
    // Only the steps that moved: a log reads as a story, not as repeated tables. A step not
    // yet started is not news.
    const lines = this.#view.lines(Date.now(), { running: false })
    for (const [i, step] of this.#view.state.steps.entries()) {
      const last = this.#printed[i] ?? 'pending'
      if (step.status === last) continue
      this.#printed[i] = step.status
      this.#out.write(`${lines[i]}\n`)
    }
  }

  /** Prints a line of its own above the step lines (on a terminal, they are drawn again below). */
  note(text: string): void {
    if (this.#live && this.#drawn > 0) this.#out.write(`\x1b[${this.#drawn}F\x1b[J`)
    this.#out.write(`${text}\n`)
    if (this.#live) this.#draw()
  }

  /** Leaves the lines on screen as they finished. */
  end(): void {
    clearInterval(this.#timer)
    if (this.#live) this.#redraw()
    this.#drawn = 0
  }

  #redraw(): void {
    if (this.#drawn > 0) this.#out.write(`\x1b[${this.#drawn}F\x1b[J`)
    this.#draw()
  }

  #draw(): void {
    const width = this.#out.columns ?? 100
    const lines = this.#view.lines()
    for (const line of lines) this.#out.write(`${line.slice(0, width - 1)}\n`)
    this.#drawn = lines.length
  }
}
