import { Writable } from 'node:stream'
import type { RunEvent } from '@synapse/core'
import { describe, expect, it } from 'vitest'
import { ProgressDisplay, renderBar } from '../src/ui/progress-display'

const ESC = String.fromCharCode(27)
/** Cursor up N lines and clear below: how the display takes its bars back. */
const CLEAR = new RegExp(`${ESC}\\[(\\d+)F${ESC}\\[J`)
const CLEAR_SPLIT = new RegExp(`(${ESC}\\[\\d+F${ESC}\\[J)`)

/** A terminal that keeps what was written, and replays cursor-up-and-clear to the last frame. */
class FakeTerminal extends Writable {
  isTTY = true
  columns = 120
  text = ''
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString()
    done()
  }
  /** The lines on screen now. */
  screen(): string[] {
    const lines: string[] = []
    for (const part of this.text.split(CLEAR_SPLIT)) {
      const up = CLEAR.exec(part)
      if (up) lines.splice(lines.length - Number(up[1]))
      else lines.push(...part.split('\n').filter((l) => l !== ''))
    }
    return lines
  }
}

let seq = 0
function progress(category: string, current: number, total: number): RunEvent {
  return {
    runId: 'r',
    seq: ++seq,
    time: '2026-12-08T00:00:00.000Z',
    type: 'progress',
    category,
    current,
    total,
    percent: Math.round((current / total) * 10000) / 100,
    etaSeconds: null,
    elapsedSeconds: 1,
  }
}

describe('ProgressDisplay', () => {
  it('shows a step-based run as its overall bar and the current step’s bar', () => {
    const prev = process.env['TERM']
    process.env['TERM'] = 'xterm'
    try {
      const term = new FakeTerminal()
      const display = new ProgressDisplay(term as unknown as NodeJS.WritableStream)
      display.handle(progress('overall', 0, 100))
      display.handle(progress('dataset', 1, 1))
      display.handle(progress('overall', 10, 100))
      display.handle(progress('train', 3, 10))
      display.handle(progress('overall', 33, 100))
      const screen = term.screen()
      expect(screen).toHaveLength(2)
      expect(screen[0]).toMatch(/^overall\s+\[█{8}░{16}\]\s+33\.0%$/)
      expect(screen[1]).toMatch(/^train\s+\[.*\]\s+30\.0% {2}3\/10$/)
    } finally {
      process.env['TERM'] = prev
    }
  })

  it('keeps one bar per category for actions without an overall bar', () => {
    const prev = process.env['TERM']
    process.env['TERM'] = 'xterm'
    try {
      const term = new FakeTerminal()
      const display = new ProgressDisplay(term as unknown as NodeJS.WritableStream)
      display.handle(progress('read', 5, 10))
      display.handle(progress('kmeans', 1, 4))
      expect(term.screen().map((l) => l.split(' ')[0])).toEqual(['read', 'kmeans'])
    } finally {
      process.env['TERM'] = prev
    }
  })

  it('renders the overall bar without repeating its percent as counts', () => {
    expect(renderBar(progress('overall', 50, 100) as never)).not.toContain('50/100')
    expect(renderBar(progress('train', 5, 10) as never)).toContain('5/10')
  })
})
