import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineAction } from '../action/define-action'
import { ExecutionError, ValidationError } from '../errors/errors'
import type { RunEvent } from '../logging/run-event'
import { RunEventSchema } from '../logging/run-event-schema'
import { thrownError } from '../testing/thrown-error'
import { decodeEventLine, EVENT_LINE_MARKER, EventLineDecoder, encodeEventLine } from './event-line'
import { toJsonValue, toReportedJsonValue } from './json-value'
import { reviveResult } from './revive-result'

describe('toJsonValue', () => {
  it('turns Date, bigint, Map, Set and typed arrays into their JSON forms', () => {
    const value = {
      at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
      big: 12345678901234567890n,
      byName: new Map([['a', 1]]),
      tags: new Set(['x', 'y']),
      bytes: new Uint8Array([1, 2]),
      nested: [{ when: new Date(0) }],
      gone: undefined,
    }
    expect(toJsonValue(value)).toEqual({
      at: '2026-01-02T03:04:05.000Z',
      big: '12345678901234567890',
      byName: [['a', 1]],
      tags: ['x', 'y'],
      bytes: [1, 2],
      nested: [{ when: '1970-01-01T00:00:00.000Z' }],
    })
  })

  it('returns plain JSON as it is, without a copy', () => {
    const value = { a: [1, 'b', { c: null, d: true }] }
    expect(toJsonValue(value)).toBe(value)
  })

  it('does not change the value it encodes', () => {
    const date = new Date(0)
    const value = { keep: 1, when: date }
    toJsonValue(value)
    expect(value.when).toBe(date)
  })

  it.each([
    [{ model: { forward: () => 0 } }, 'model.forward', /a function/],
    [{ scores: [1, Number.NaN] }, 'scores[1]', /NaN is not a JSON number/],
    [{ list: [1, undefined] }, 'list[1]', /undefined/],
    [{ at: new Date('nope') }, 'at', /invalid Date/],
    [{ s: Symbol('x') }, 's', /a symbol/],
    [{ tensor: new (class Tensor {})() }, 'tensor', /instance of Tensor/],
  ])('fails on %j naming the path %s', (value, path, reason) => {
    const error = thrownError(() => toJsonValue(value, 'result'))
    expect(error.code).toBe('RESULT_NOT_ENCODABLE')
    expect(error.message).toContain(`at ${path}`)
    expect(error.message).toMatch(reason)
  })

  it('fails on a cycle, but a value seen twice without a cycle is fine', () => {
    const shared = { n: 1 }
    expect(toJsonValue({ a: shared, b: shared })).toEqual({ a: { n: 1 }, b: { n: 1 } })
    const cyclic: Record<string, unknown> = {}
    cyclic['self'] = cyclic
    expect(thrownError(() => toJsonValue(cyclic)).message).toMatch(/cycle.* at self/)
  })

  it('uses the code it is given', () => {
    expect(
      thrownError(() => toJsonValue({ f: () => 1 }, 'params', 'PARAMS_NOT_ENCODABLE')).code,
    ).toBe('PARAMS_NOT_ENCODABLE')
  })

  it('what a run reports along the way keeps going on NaN and holes', () => {
    expect(toReportedJsonValue({ loss: Number.NaN, top: [1, undefined] }, 'metrics')).toEqual({
      loss: null,
      top: [1, null],
    })
    expect(thrownError(() => toReportedJsonValue({ f: () => 1 }, 'metrics')).code).toBe(
      'VALUE_NOT_ENCODABLE',
    )
  })
})

describe('reviveResult', () => {
  const action = defineAction(
    {
      result: z.object({
        finishedAt: z.date(),
        count: z.bigint(),
        perClass: z.map(z.string(), z.number()),
        tags: z.set(z.string()),
        history: z.array(z.object({ at: z.date().optional(), loss: z.number() })),
        best: z.union([z.object({ kind: z.literal('none') }), z.object({ at: z.date() })]),
        note: z.string().nullable(),
        byName: z.record(z.string(), z.date()),
        pair: z.tuple([z.date(), z.bigint()]),
      }),
    },
    async () => ({}) as never,
  )

  it('brings back Date, bigint, Map and Set where the result schema has them', () => {
    const original = {
      finishedAt: new Date(Date.UTC(2026, 5, 1)),
      count: 2n ** 70n,
      perClass: new Map([
        ['cat', 3],
        ['dog', 4],
      ]),
      tags: new Set(['a']),
      history: [{ at: new Date(1000), loss: 0.5 }, { loss: 0.25 }],
      best: { at: new Date(2000) },
      note: null,
      byName: { first: new Date(3000) },
      pair: [new Date(4000), 5n] as [Date, bigint],
    }
    const wire = JSON.parse(JSON.stringify(toJsonValue(original)))
    expect(reviveResult(action, wire)).toEqual(original)
  })

  it('without a result schema, the JSON is the result', () => {
    const plain = defineAction({}, async () => 1)
    const wire = { at: '2026-01-01T00:00:00.000Z' }
    expect(reviveResult(plain, wire)).toBe(wire)
  })

  it('a value the schema rejects comes back revived but unvalidated', () => {
    const wire = { finishedAt: '2026-01-01T00:00:00.000Z', extra: 1 }
    const revived = reviveResult(action, wire) as { finishedAt: unknown; extra: number }
    expect(revived.finishedAt).toBeInstanceOf(Date)
    expect(revived.extra).toBe(1)
  })

  it('a codec result schema decodes from its encoded side', () => {
    const isoDate = z.codec(z.iso.datetime(), z.date(), {
      decode: (s) => new Date(s),
      encode: (d) => d.toISOString(),
    })
    const withCodec = defineAction({ result: z.object({ at: isoDate }) }, async () => ({}) as never)
    expect(reviveResult(withCodec, { at: '2026-01-01T00:00:00.000Z' })).toEqual({
      at: new Date('2026-01-01T00:00:00.000Z'),
    })
  })
})

describe('event line codec', () => {
  const event: RunEvent = {
    runId: 'r1',
    seq: 3,
    time: '2026-01-01T00:00:00.000Z',
    type: 'log',
    level: 'info',
    event: 'message',
    data: { message: 'two\nlines', n: 1 },
  }

  it('one event a line, marked, and back the same', () => {
    const line = encodeEventLine(event)
    expect(line.startsWith(EVENT_LINE_MARKER)).toBe(true)
    expect(line.indexOf('\n')).toBe(line.length - 1)
    expect(decodeEventLine(line)).toEqual(event)
    expect(decodeEventLine(line.replace('\n', '\r\n'))).toEqual(event)
  })

  it("a program's own output is not an event", () => {
    expect(decodeEventLine('epoch 1 loss 0.3')).toBeUndefined()
    expect(decodeEventLine(`{"runId":"r1","seq":1}`)).toBeUndefined()
  })

  it('a marked line that is cut or not an event fails with EVENT_INVALID', () => {
    const line = encodeEventLine(event)
    expect(thrownError(() => decodeEventLine(line.slice(0, 40))).code).toBe('EVENT_INVALID')
    const wrong = `${EVENT_LINE_MARKER}${JSON.stringify({ ...event, seq: 0 })}`
    const error = thrownError(() => decodeEventLine(wrong))
    expect(error.code).toBe('EVENT_INVALID')
    expect(error.message).toContain('seq')
  })

  it('the decoder splits chunks at any boundary and keeps output lines apart', () => {
    const stream = `hello\n${encodeEventLine(event)}warning: x\n${encodeEventLine({ ...event, seq: 4 })}tail`
    const bytes = new TextEncoder().encode(stream)
    for (const size of [1, 3, 7, 64, bytes.length]) {
      const decoder = new EventLineDecoder()
      const items = []
      for (let i = 0; i < bytes.length; i += size)
        items.push(...decoder.push(bytes.slice(i, i + size)))
      items.push(...decoder.end())
      expect(items).toEqual([
        { output: 'hello' },
        { event },
        { output: 'warning: x' },
        { event: { ...event, seq: 4 } },
        { output: 'tail' },
      ])
    }
  })
})

describe('RunEventSchema', () => {
  it('accepts every kind of event a run makes and rejects non-JSON bodies', () => {
    const header = { runId: 'r', seq: 1, time: '2026-01-01T00:00:00.000Z' }
    const good: RunEvent[] = [
      { ...header, type: 'status', status: 'running' },
      {
        ...header,
        type: 'progress',
        category: 'c',
        current: 1,
        total: 2,
        percent: 50,
        etaSeconds: null,
        elapsedSeconds: 0,
        failed: false,
      },
      { ...header, type: 'metrics', category: 'c', values: { loss: 1 } },
      { ...header, type: 'result', result: { a: [1] } },
      {
        ...header,
        type: 'error',
        error: new ExecutionError('x', { cause: new ValidationError('y', []) }).toJSON(),
      },
    ]
    for (const event of good) expect(RunEventSchema.safeParse(event).success).toBe(true)
    expect(
      RunEventSchema.safeParse({ ...header, type: 'result', result: { at: new Date() } }).success,
    ).toBe(false)
    expect(RunEventSchema.safeParse({ ...header, type: 'status', status: 'paused' }).success).toBe(
      false,
    )
  })
})
