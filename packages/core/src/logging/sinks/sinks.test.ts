import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { RunEvent } from '../run-event'
import { RunLogger } from '../run-logger'
import { ConsoleSink, describeEvent, formatEvent } from './console-sink'
import { JsonlFileSink } from './jsonl-file-sink'
import { MemorySink } from './memory-sink'

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

  it('still writes one JSON line for a result with a cycle or a BigInt', async () => {
    const path = freshPath()
    const sink = new JsonlFileSink(path)
    const logger = new RunLogger({ runId: 'odd', sinks: [sink] })
    const cyclic: Record<string, unknown> = { name: 'node' }
    cyclic['self'] = cyclic
    logger.emit({
      type: 'result',
      result: { cyclic, big: 12345678901234567890n, shared: [1], again: [1] },
    })
    logger.emit({ type: 'status', status: 'completed' })
    await sink.close()
    expect(readLines(path)).toEqual([
      {
        runId: 'odd',
        seq: 1,
        time: expect.any(String),
        type: 'result',
        result: {
          cyclic: { name: 'node', self: '[Circular]' },
          big: '12345678901234567890',
          shared: [1],
          again: [1],
        },
      },
      { runId: 'odd', seq: 2, time: expect.any(String), type: 'status', status: 'completed' },
    ])
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

describe('ConsoleSink', () => {
  function fakeStream(isTTY: boolean) {
    const chunks: string[] = []
    const stream = {
      isTTY,
      write: (chunk: string) => {
        chunks.push(chunk)
        return true
      },
    } as unknown as NodeJS.WriteStream
    return { stream, chunks }
  }

  it('pretty: one readable line per event at or above the level', () => {
    const { stream, chunks } = fakeStream(false)
    const sink = new ConsoleSink({ format: 'pretty', stream })
    sampleEvents([sink])
    expect(chunks).toEqual([
      '12:00:00 INFO    Run running\n',
      '12:00:00 INFO    hello {"unicode":"ü → ✓","nested":{"list":[1,null,"x"]}}\n',
      '12:00:00 SUCCESS [train] model_saved {"epoch":2} (file: /tmp/best.pt)\n',
      '12:00:00 INFO    [train] Progress: 0%\n',
      '12:00:02 INFO    [train] Progress: 25% | ETA: 6s\n',
      '12:00:02 INFO    [train] Metrics: {"loss":0.5}\n',
      '12:00:02 INFO    Result: {"ok":true}\n',
      '12:00:02 ERROR   ExecutionError [EXECUTION_FAILED]: x\n',
      '12:00:02 INFO    Run completed\n',
    ])
  })

  it('auto picks pretty on a TTY, and the level option filters', () => {
    const { stream, chunks } = fakeStream(true)
    const sink = new ConsoleSink({ stream, level: 'success' })
    sampleEvents([sink])
    expect(chunks.map((c) => c.slice(9, 16).trim())).toEqual(['SUCCESS', 'ERROR'])
  })

  it('json: writes the events as JSON lines to the stream fd', () => {
    // A stream object over a real file descriptor: what pino's destination writes to.
    const path = freshPath('console.jsonl')
    const fd = openSync(path, 'w')
    try {
      const sink = new ConsoleSink({
        format: 'json',
        level: 'debug',
        stream: { fd, isTTY: false, write: () => true } as unknown as NodeJS.WriteStream,
      })
      const events = sampleEvents([sink])
      expect(readLines(path)).toEqual(events)
    } finally {
      closeSync(fd)
    }
  })

  it('json: a stream without a file descriptor gets the lines through write()', () => {
    const { stream, chunks } = fakeStream(false)
    const sink = new ConsoleSink({ format: 'json', level: 'info', stream })
    const events = sampleEvents([sink])
    const notDebug = events.filter((e) => !(e.type === 'log' && e.level === 'debug'))
    expect(chunks.every((c) => c.endsWith('\n'))).toBe(true)
    expect(chunks.map((c) => JSON.parse(c))).toEqual(notDebug)
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
