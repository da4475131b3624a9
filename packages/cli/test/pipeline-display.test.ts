import { Writable } from 'node:stream'
import type { RunEvent, RunEventBody, RunRecord } from '@synapse/core'
import { emptyPipelineState, PIPELINE_EVENT } from '@synapse/pipelines'
import { describe, expect, it } from 'vitest'
import { PipelineDisplay, PipelineView } from '../src/ui/pipeline-display'

const record: RunRecord = {
  runId: 'p1',
  action: 'flow',
  executor: 'pipeline',
  status: 'pending',
  params: {},
  createdAt: '2026-01-01T00:00:00.000Z',
  lastSeq: 0,
}

/** The events of a two-step pipeline run, one second apart from `t0`. */
function events(...bodies: RunEventBody[]): RunEvent[] {
  return bodies.map((body, i) => ({
    runId: 'p1',
    seq: i + 1,
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    ...body,
  })) as RunEvent[]
}

function log(event: string, data: Record<string, unknown>): RunEventBody {
  return { type: 'log', level: 'info', category: 'pipeline', event, data }
}

const plan = log(PIPELINE_EVENT.plan, {
  steps: [
    { index: 0, kind: 'action', name: 'prepare', target: 'prepare', weight: 1 },
    { index: 1, kind: 'converter', name: 'coco_to_yolo', target: 'coco_to_yolo', weight: 1 },
  ],
})

class Screen extends Writable {
  isTTY = true
  columns = 120
  text = ''
  override _write(chunk: Buffer, _: string, done: () => void) {
    this.text += chunk.toString()
    done()
  }
}

describe('the pipeline display', () => {
  it('folds a run into one line per step with bar, status, elapsed time and loss', () => {
    const view = new PipelineView(emptyPipelineState(record))
    for (const event of events(
      { type: 'status', status: 'running' },
      plan,
      log(PIPELINE_EVENT.step, { index: 0, name: 'prepare', status: 'running' }),
      {
        type: 'progress',
        category: 'step:prepare',
        current: 1,
        total: 2,
        percent: 50,
        etaSeconds: null,
        elapsedSeconds: 1,
      },
      log(PIPELINE_EVENT.checkpoint, {
        index: 0,
        name: 'prepare',
        params: {},
        result: {},
        next: { index: 1, name: 'coco_to_yolo' },
      }),
      log(PIPELINE_EVENT.checkpoint, {
        index: 1,
        name: 'coco_to_yolo',
        params: {},
        result: {},
        loss: { summary: '1 crowd region dropped' },
      }),
    ))
      view.apply(event)
    expect(view.lines()).toEqual([
      '  1/2  prepare                   [████████████████████] 100.0%  completed  2.0s',
      '  2/2  coco_to_yolo (converter)  [████████████████████] 100.0%  completed  1.0s  lost: 1 crowd region dropped',
    ])
  })

  it('redraws its lines in place on a terminal, and names a step stopped by a cancel', () => {
    const screen = new Screen()
    const view = new PipelineView(emptyPipelineState(record))
    const display = new PipelineDisplay(view, screen)
    for (const event of events(
      { type: 'status', status: 'running' },
      plan,
      log(PIPELINE_EVENT.step, { index: 0, name: 'prepare', status: 'running' }),
      {
        type: 'progress',
        category: 'step:prepare',
        current: 1,
        total: 4,
        percent: 25,
        etaSeconds: null,
        elapsedSeconds: 1,
      },
      log(PIPELINE_EVENT.step, { index: 0, name: 'prepare', status: 'pending' }),
      { type: 'status', status: 'cancelled' },
    ))
      display.handle(event)
    display.note('a note')
    display.end()
    // Each redraw moves up over the lines drawn before and clears them.
    expect(screen.text).toContain('\x1b[2F\x1b[J')
    const last = screen.text.split('\x1b[J').at(-1) ?? ''
    expect(last).toBe(
      [
        '  1/2  prepare                   [█████░░░░░░░░░░░░░░░]  25.0%  cancelled  2.0s',
        '  2/2  coco_to_yolo (converter)  [░░░░░░░░░░░░░░░░░░░░]   0.0%  pending',
        '',
      ].join('\n'),
    )
    expect(screen.text).toContain('a note\n')
  })
})
