import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MemorySink, type RunEvent, RunLogger } from '@synapse/core'
import { afterAll, describe, expect, it } from 'vitest'
import { JsonlFileSink } from '../src/sinks/jsonl-file-sink'
import { describeEvent, formatEvent } from '../src/ui/format-event'

const dir = mkdtempSync(join(tmpdir(), 'synapse-sinks-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let fileCount = 0
/** A path in a directory of its own (the directory is created; the file is not). */
function freshPath(name = 'events.jsonl'): string {
  const sub = join(dir, `${++fileCount}`)
  mkdirSync(sub)
  return join(sub, name)
}

/** A run's worth of events of every type, through a real logger. */
function sampleEvents(extraSinks: { write(event: RunEvent): void }[] = []): RunEvent[] {
  const memory = new MemorySink()
  let now = Date.UTC(2026, 0, 1, 12, 0, 0)
  const logger = new RunLogger({
    runId: 'run-42',
    sinks: [memory, ...extraSinks],
    now: () => now,
  })
  logger.emit({ type: 'status', status: 'running' })
  logger.debug('details', { n: 1 })
  logger.info('hello', { unicode: 'ü → ✓', nested: { list: [1, null, 'x'] } })
  logger.log('success', 'model_saved', { epoch: 2 }, { file: '/tmp/best.pt', category: 'train' })
  logger.setProgress(0, 4, 'train')
  now += 2000
  logger.setProgress(1, 4, 'train')
  logger.setMetrics({ loss: 0.5 }, 'train')
  logger.emit({ type: 'result', result: { ok: true } })
  logger.emit({
    type: 'error',
    error: { name: 'ExecutionError', code: 'EXECUTION_FAILED', message: 'x' },
  })
  logger.emit({ type: 'status', status: 'completed' })
  return memory.events
}

function readLines(path: string): unknown[] {
  const text = readFileSync(path, 'utf8')
  expect(text.endsWith('\n')).toBe(true)
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line))
}

describe('JsonlFileSink', () => {
  it('writes one JSON line per event, exactly the event, once closed', async () => {
    const path = freshPath()
    const sink = new JsonlFileSink(path)
    const events = sampleEvents([sink])
    await sink.close()
    expect(readLines(path)).toEqual(events)
  })

  it('creates missing directories and appends to an existing file', async () => {
    const path = freshPath('deep/er/events.jsonl')
    const first = new JsonlFileSink(path)
    const a = sampleEvents([first])
    await first.close()
    const second = new JsonlFileSink(path)
    const b = sampleEvents([second])
    await second.close()
    expect(readLines(path)).toEqual([...a, ...b])
  })

  it('flush stores everything written so far, even right after opening', async () => {
    const path = freshPath()
    const sink = new JsonlFileSink(path)
    const events = sampleEvents([sink])
    await sink.flush()
    expect(readLines(path)).toEqual(events)
    await sink.close()
  })

  it('filters by level: log events below it are dropped, errors kept', async () => {
    const path = freshPath()
    const sink = new JsonlFileSink(path, { level: 'warning' })
    const events = sampleEvents([sink])
    await sink.close()
    const kept = events.filter((e) => e.type === 'error')
    expect(readLines(path)).toEqual(kept)
  })

  it('ignores writes after close; close and flush after close are harmless', async () => {
    const path = freshPath()
    const sink = new JsonlFileSink(path)
    const events = sampleEvents([sink])
    await sink.close()
    sampleEvents([sink])
    await sink.flush()
    await sink.close()
    expect(readLines(path)).toEqual(events)
  })

  it('a second close waits for the first to finish', async () => {
    const path = freshPath()
    const sink = new JsonlFileSink(path)
    const events = sampleEvents([sink])
    // The executor closes run sinks without awaiting; whoever closes next must see a complete file.
    void sink.close()
    await sink.close()
    expect(readLines(path)).toEqual(events)
  })

  it('a path that cannot be opened fails at construction, not later in the run', () => {
    const blocker = freshPath('file')
    const sink = new JsonlFileSink(blocker)
    return sink.close().then(() => {
      expect(existsSync(blocker)).toBe(true)
      // `blocker` is a file, so nothing can be created beneath it.
      expect(() => new JsonlFileSink(join(blocker, 'events.jsonl'))).toThrow()
    })
  })
})

describe('formatEvent', () => {
  it('one readable line per event', () => {
    expect(sampleEvents().map(formatEvent)).toEqual([
      '12:00:00 INFO    Run running',
      '12:00:00 DEBUG   details {"n":1}',
      '12:00:00 INFO    hello {"unicode":"ü → ✓","nested":{"list":[1,null,"x"]}}',
      '12:00:00 SUCCESS [train] model_saved {"epoch":2} (file: /tmp/best.pt)',
      '12:00:00 INFO    [train] Progress: 0%',
      '12:00:02 INFO    [train] Progress: 25% | ETA: 6s',
      '12:00:02 INFO    [train] Metrics: {"loss":0.5}',
      '12:00:02 INFO    Result: {"ok":true}',
      '12:00:02 ERROR   ExecutionError [EXECUTION_FAILED]: x',
      '12:00:02 INFO    Run completed',
    ])
  })

  it('describeEvent: progress failed, message without data, long data cut', () => {
    const base = { runId: 'r', seq: 1, time: '2026-01-01T00:00:00.000Z' }
    expect(
      describeEvent({
        ...base,
        type: 'progress',
        category: 'upload',
        current: 1,
        total: 2,
        percent: 50,
        etaSeconds: null,
        elapsedSeconds: 1,
        failed: true,
      }),
    ).toBe('[upload] Progress: 50% FAILED')
    expect(
      describeEvent({
        ...base,
        type: 'log',
        level: 'info',
        event: 'message',
        data: { message: 'hi' },
      }),
    ).toBe('hi')
    const long = describeEvent({ ...base, type: 'result', result: 'x'.repeat(1000) })
    expect(long.length).toBeLessThan(420)
    expect(long.endsWith('...')).toBe(true)
    expect(formatEvent({ ...base, type: 'error', error: { name: 'Error', message: 'm' } })).toBe(
      '00:00:00 ERROR   Error [ERROR]: m',
    )
  })
})
