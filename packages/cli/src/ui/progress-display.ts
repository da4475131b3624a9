import { DEFAULT_CATEGORY, type ProgressEventBody, type RunEvent } from '@synapse/core'
import { describeEvent } from './format-event'

const BAR_WIDTH = 24
/** The category step-based actions report their weighted overall percent under. */
const OVERALL = 'overall'

interface Line {
  category: string
  progress: ProgressEventBody
}

/**
 * Shows a run's events to a person. On a terminal: live bars with log lines scrolling above; a
 * step-based action (one reporting an `overall` category) gets its overall bar and the bar of the
 * step running now, any other action one bar per category. Elsewhere (CI logs, pipes): plain
 * lines, progress only at every tenth.
 */
export class ProgressDisplay {
  readonly #out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }
  readonly #live: boolean
  readonly #lines: Line[] = []
  readonly #lastTenth = new Map<string, number>()
  /** The latest category other than overall: the step running now. */
  #current: string | undefined
  #drawn = 0

  constructor(out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number } = process.stderr) {
    this.#out = out
    this.#live = out.isTTY === true && process.env['TERM'] !== 'dumb'
  }

  handle(event: RunEvent): void {
    switch (event.type) {
      case 'progress':
        this.#progress(event)
        return
      case 'status':
      case 'result':
      case 'error':
        // The command prints the result or the error itself, once; status changes are implied
        // by the bars.
        return
      case 'log': {
        // Info-level lines speak for themselves; anything louder says how loud.
        const loud = event.level !== 'info' && event.level !== 'debug' && event.level !== 'success'
        this.#print(`${loud ? `${event.level}: ` : ''}${describeEvent(event)}`)
        return
      }
      default:
        this.#print(describeEvent(event))
    }
  }

  /** Leaves the bars on screen as they finished. */
  end(): void {
    this.#drawn = 0
  }

  #progress(event: ProgressEventBody): void {
    const line = this.#lines.find((l) => l.category === event.category)
    if (line === undefined) this.#lines.push({ category: event.category, progress: event })
    else line.progress = event
    if (event.category !== OVERALL) this.#current = event.category
    if (this.#live) {
      this.#redraw()
      return
    }
    const tenth = Math.floor(event.percent / 10)
    if (this.#lastTenth.get(event.category) === tenth && !event.failed) return
    this.#lastTenth.set(event.category, tenth)
    this.#out.write(`${renderBar(event)}\n`)
  }

  #print(text: string): void {
    if (this.#live) this.#clear()
    this.#out.write(`${text}\n`)
    if (this.#live) this.#draw()
  }

  #redraw(): void {
    this.#clear()
    this.#draw()
  }

  #clear(): void {
    if (this.#drawn > 0) this.#out.write(`\x1b[${this.#drawn}F\x1b[J`)
    this.#drawn = 0
  }

  #draw(): void {
    const width = this.#out.columns ?? 100
    const shown = visibleLines(this.#lines, this.#current)
    for (const line of shown) this.#out.write(`${renderBar(line.progress).slice(0, width - 1)}\n`)
    this.#drawn = shown.length
  }
}

/**
 * The bars to draw: with an overall bar, it first and then the current step's (the steps before
 * it are done and their bars would only push the live ones down); without one, every category.
 */
export function visibleLines<T extends { category: string }>(
  lines: readonly T[],
  current: string | undefined,
): T[] {
  const overall = lines.find((l) => l.category === OVERALL)
  if (overall === undefined) return [...lines]
  const step = lines.find((l) => l.category === current)
  return step === undefined ? [overall] : [overall, step]
}

/** `train  [██████░░░░]  60.00%  12/20  ETA 4s` */
export function renderBar(p: ProgressEventBody): string {
  const filled = Math.round((p.percent / 100) * BAR_WIDTH)
  const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled)
  const name = p.category === DEFAULT_CATEGORY ? 'progress' : p.category
  const eta = p.failed
    ? '  FAILED'
    : p.etaSeconds === null
      ? ''
      : `  ETA ${formatSeconds(p.etaSeconds)}`
  // The overall percent is already a fraction of 100: its counts would say the same twice.
  const counts = p.category === OVERALL ? '' : `  ${p.current}/${p.total}`
  return `${name.padEnd(12)} [${bar}] ${p.percent.toFixed(1).padStart(5)}%${counts}${eta}`
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)}s`
  const m = Math.floor(s / 60)
  return m < 60 ? `${m}m${Math.ceil(s % 60)}s` : `${Math.floor(m / 60)}h${m % 60}m`
}
