import { describe, expect, it } from 'vitest'
import { PluginEnvironment } from '../context/plugin-environment'
import { RuntimeContext } from '../context/runtime-context'
import { PluginError } from '../errors/plugin-error'
import { redact, SECRET_KEY_PATTERN, secretValuesOf } from './redact'
import type { RunEvent } from './run-event'
import { DEFAULT_CATEGORY, RunLogger, type RunLoggerOptions } from './run-logger'
import { MemorySink } from './sinks/memory-sink'

/** A clock the test moves by hand. */
function manualClock(start = Date.UTC(2026, 0, 1)) {
  let now = start
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms
    },
  }
}

function setup(options: Partial<RunLoggerOptions> = {}) {
  const sink = new MemorySink()
  const clock = manualClock()
  const logger = new RunLogger({ runId: 'run-1', sinks: [sink], now: clock.now, ...options })
  return { sink, clock, logger }
}

function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    expect(PluginError.is(error)).toBe(true)
    return (error as PluginError).code
  }
  throw new Error('expected a throw')
}

describe('RunLogger events', () => {
  it('numbers events from 1 with no gaps, stamped with run id and the injected clock', () => {
    const { sink, clock, logger } = setup()
    logger.info('one')
    clock.advance(1500)
    logger.setProgress(1, 2)
    logger.setMetrics({ loss: 1 }, 'train')
    logger.emit({ type: 'status', status: 'running' })
    expect(sink.events.map((e) => e.seq)).toEqual([1, 2, 3, 4])
    expect(logger.lastSeq).toBe(4)
    expect(sink.events.every((e) => e.runId === 'run-1')).toBe(true)
    expect(sink.events[0]?.time).toBe('2026-01-01T00:00:00.000Z')
    expect(sink.events[1]?.time).toBe('2026-01-01T00:00:01.500Z')
  })

  it('continues from startSeq', () => {
    const { sink, logger } = setup({ startSeq: 41 })
    logger.info('resumed')
    expect(sink.events[0]?.seq).toBe(42)
  })

  it('log events carry level, event, data, file and category', () => {
    const { sink, logger } = setup()
    logger.log('success', 'model_saved', { epoch: 3 }, { file: '/tmp/w.pt', category: 'train' })
    logger.warning('careful', { extra: 1 })
    expect(sink.events).toMatchObject([
      {
        type: 'log',
        level: 'success',
        event: 'model_saved',
        data: { epoch: 3 },
        file: '/tmp/w.pt',
        category: 'train',
      },
      { type: 'log', level: 'warning', event: 'message', data: { message: 'careful', extra: 1 } },
    ])
    expect(sink.events[1]).not.toHaveProperty('file')
    expect(sink.events[1]).not.toHaveProperty('category')
  })

  it('copies data: later changes by the caller do not change the event', () => {
    const { sink, logger } = setup()
    const data: Record<string, unknown> = { n: 1 }
    logger.log('info', 'x', data)
    data['n'] = 2
    expect((sink.events[0] as RunEvent & { data: unknown }).data).toEqual({ n: 1 })
  })

  it('each level helper logs at its level', () => {
    const { sink, logger } = setup()
    logger.debug('d')
    logger.info('i')
    logger.success('s')
    logger.warning('w')
    logger.danger('da')
    logger.error('e')
    logger.critical('c')
    expect(sink.ofType('log').map((e) => [e.level, e.data['message']])).toEqual([
      ['debug', 'd'],
      ['info', 'i'],
      ['success', 's'],
      ['warning', 'w'],
      ['danger', 'da'],
      ['error', 'e'],
      ['critical', 'c'],
    ])
  })

  it('drops log events below the level, but never progress, metrics or emitted events', () => {
    const { sink, logger } = setup({ level: 'warning' })
    logger.debug('d')
    logger.info('i')
    logger.success('s')
    logger.warning('w')
    logger.critical('c')
    logger.setProgress(1, 2)
    logger.setMetrics({ a: 1 }, 'm')
    expect(sink.events.map((e) => (e.type === 'log' ? e.level : e.type))).toEqual([
      'warning',
      'critical',
      'progress',
      'metrics',
    ])
    // Dropped events take no sequence number.
    expect(sink.events.map((e) => e.seq)).toEqual([1, 2, 3, 4])
  })

  it('rejects an unknown level and non-object data with INVALID_ARGUMENT', () => {
    const { logger } = setup()
    expect(codeOf(() => logger.log('loud' as never, 'x'))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => logger.log('info', 'x', [] as never))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => logger.log('info', 'x', null as never))).toBe('INVALID_ARGUMENT')
  })
})

describe('RunLogger progress', () => {
  it('computes percent, elapsed and ETA from the injected clock', () => {
    const { sink, clock, logger } = setup()
    logger.setProgress(0, 10, 'train')
    clock.advance(4000)
    logger.setProgress(2, 10, 'train')
    clock.advance(2000)
    logger.setProgress(3, 9, 'train')
    expect(sink.ofType('progress')).toMatchObject([
      { category: 'train', current: 0, total: 10, percent: 0, etaSeconds: null, elapsedSeconds: 0 },
      // 4 s for 2 items: 2 s each, 8 left → 16 s.
      { current: 2, total: 10, percent: 20, etaSeconds: 16, elapsedSeconds: 4 },
      // 6 s for 3 items, 6 left → 12 s; 3/9 → 33.33 %.
      { current: 3, total: 9, percent: 33.33, etaSeconds: 12, elapsedSeconds: 6 },
    ])
    expect(logger.getProgress('train')).toEqual({
      current: 3,
      total: 9,
      percent: 33.33,
      etaSeconds: 12,
      elapsedSeconds: 6,
      failed: false,
    })
  })

  it('ETA is null at 0 and the clock restarts when current returns to 0', () => {
    const { clock, logger } = setup()
    logger.setProgress(5, 10)
    clock.advance(10_000)
    logger.setProgress(10, 10)
    expect(logger.getProgress()).toMatchObject({ percent: 100, etaSeconds: 0, elapsedSeconds: 10 })
    clock.advance(60_000)
    logger.setProgress(0, 4)
    expect(logger.getProgress()).toMatchObject({ etaSeconds: null, elapsedSeconds: 0 })
    clock.advance(1000)
    logger.setProgress(1, 4)
    // Measured from the restart, not from the first report a minute ago.
    expect(logger.getProgress()).toMatchObject({ elapsedSeconds: 1, etaSeconds: 3 })
  })

  it('keeps categories apart, in first-reported order', () => {
    const { clock, logger } = setup()
    logger.setProgress(1, 4, 'download')
    clock.advance(1000)
    logger.setProgress(1, 2, 'train')
    logger.setProgress(1, 1)
    expect(Object.keys(logger.allProgress())).toEqual(['download', 'train', DEFAULT_CATEGORY])
    expect(logger.getProgress('download')?.percent).toBe(25)
    expect(logger.getProgress('train')?.percent).toBe(50)
    expect(logger.getProgress('nope')).toBeUndefined()
  })

  it.each([
    [1, 0],
    [0, -1],
    [1, Number.NaN],
    [1, Number.POSITIVE_INFINITY],
    [-1, 10],
    [11, 10],
    [Number.NaN, 10],
  ])('rejects current=%s total=%s with INVALID_ARGUMENT and emits nothing', (current, total) => {
    const { sink, logger } = setup()
    expect(codeOf(() => logger.setProgress(current, total))).toBe('INVALID_ARGUMENT')
    expect(sink.events).toHaveLength(0)
    expect(logger.getProgress()).toBeUndefined()
  })

  it('setProgressFailed marks the category failed and clears the ETA', () => {
    const { sink, clock, logger } = setup()
    logger.setProgress(0, 4, 'upload')
    clock.advance(1000)
    logger.setProgress(1, 4, 'upload')
    logger.setProgressFailed('upload')
    logger.setProgressFailed('never-started')
    expect(sink.ofType('progress').slice(2)).toMatchObject([
      { category: 'upload', current: 1, percent: 25, etaSeconds: null, failed: true },
      { category: 'never-started', current: 0, percent: 0, failed: true },
    ])
    expect(logger.getProgress('upload')?.failed).toBe(true)
  })
})

describe('RunLogger progress coalescing', () => {
  it('a burst of reports emits the first and the last, not one event per call', () => {
    const { sink, logger } = setup()
    for (let i = 1; i <= 100_000; i++) logger.setProgress(i, 100_000, 'train')
    expect(sink.ofType('progress').map((e) => e.current)).toEqual([1, 100_000])
    expect(logger.getProgress('train')?.percent).toBe(100)
  })

  it('a live reader sees it move every interval, with the latest value', () => {
    const { sink, clock, logger } = setup({ progressIntervalMs: 100 })
    // 10 s of a loop that reports every 10 ms.
    for (let i = 1; i <= 1000; i++) {
      logger.setProgress(i, 2000)
      clock.advance(10)
    }
    const seen = sink.ofType('progress').map((e) => e.current)
    expect(seen[0]).toBe(1)
    expect(seen.length).toBeGreaterThanOrEqual(99)
    expect(seen.length).toBeLessThanOrEqual(101)
    // Emitted values are reports as they were, in order.
    expect([...seen].sort((a, b) => a - b)).toEqual(seen)
  })

  it('a held report goes out before the next other event, so order holds', () => {
    const { sink, logger } = setup()
    logger.setProgress(1, 10)
    logger.setProgress(2, 10)
    logger.setProgress(3, 10)
    logger.info('checkpoint saved')
    expect(sink.events.map((e) => (e.type === 'progress' ? e.current : e.type))).toEqual([
      1,
      3,
      'log',
    ])
    expect(sink.events.map((e) => e.seq)).toEqual([1, 2, 3])
  })

  it('a held report goes out on finish and when the interval ends', async () => {
    const { sink, logger } = setup()
    logger.setProgress(1, 10, 'a')
    logger.setProgress(4, 10, 'a')
    logger.finish()
    expect(sink.ofType('progress').map((e) => e.current)).toEqual([1, 4])

    const timed = new MemorySink()
    const live = new RunLogger({ runId: 'r', sinks: [timed], progressIntervalMs: 20 })
    live.setProgress(1, 10)
    live.setProgress(2, 10)
    expect(timed.events).toHaveLength(1)
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(timed.ofType('progress').map((e) => e.current)).toEqual([1, 2])
  })

  it('a restart at 0 and a failure are emitted at once', () => {
    const { sink, logger } = setup()
    logger.setProgress(5, 10)
    logger.setProgress(0, 10)
    logger.setProgress(3, 10)
    logger.setProgressFailed()
    expect(sink.ofType('progress').map((e) => [e.current, e.failed])).toEqual([
      [5, false],
      [0, false],
      [3, true],
    ])
  })

  it('an interval of 0 emits every report', () => {
    const { sink, logger } = setup({ progressIntervalMs: 0 })
    for (let i = 1; i <= 5; i++) logger.setProgress(i, 10)
    expect(sink.ofType('progress').map((e) => e.current)).toEqual([1, 2, 3, 4, 5])
  })

  it('log data and metrics reach sinks as JSON', () => {
    const { sink, logger } = setup()
    logger.info('saved', { at: new Date(0), size: 10n })
    logger.setMetrics({ loss: Number.NaN, best: new Date(0) }, 'train')
    expect(sink.events[0]).toMatchObject({ data: { at: '1970-01-01T00:00:00.000Z', size: '10' } })
    expect(sink.events[1]).toMatchObject({
      values: { loss: null, best: '1970-01-01T00:00:00.000Z' },
    })
    expect(codeOf(() => logger.info('bad', { fn: () => 1 }))).toBe('VALUE_NOT_ENCODABLE')
    for (const event of sink.events) expect(JSON.parse(JSON.stringify(event))).toEqual(event)
  })
})

describe('RunLogger metrics', () => {
  it('merges metrics per category and emits the merged values', () => {
    const { sink, logger } = setup()
    logger.setMetrics({ loss: 0.9, epoch: 1 }, 'train')
    logger.setMetrics({ acc: 0.5 }, 'validation')
    logger.setMetrics({ loss: 0.4 }, 'train')
    expect(sink.ofType('metrics').map((e) => [e.category, e.values])).toEqual([
      ['train', { loss: 0.9, epoch: 1 }],
      ['validation', { acc: 0.5 }],
      ['train', { loss: 0.4, epoch: 1 }],
    ])
    expect(logger.getMetrics('train')).toEqual({ loss: 0.4, epoch: 1 })
    expect(logger.getMetrics('unknown')).toEqual({})
  })

  it('getMetrics returns a copy', () => {
    const { logger } = setup()
    logger.setMetrics({ a: 1 }, 'm')
    logger.getMetrics('m')['a'] = 99
    expect(logger.getMetrics('m')).toEqual({ a: 1 })
  })

  it('needs a category', () => {
    const { logger } = setup()
    expect(codeOf(() => logger.setMetrics({ a: 1 }, ''))).toBe('INVALID_ARGUMENT')
  })
})

describe('RunLogger finish', () => {
  it('refuses logging, progress and metrics after finish, but emit still works', () => {
    const { sink, logger } = setup()
    logger.info('before')
    logger.finish()
    expect(logger.finished).toBe(true)
    expect(codeOf(() => logger.info('after'))).toBe('LOGGER_FINISHED')
    expect(codeOf(() => logger.setProgress(1, 2))).toBe('LOGGER_FINISHED')
    expect(codeOf(() => logger.setProgressFailed())).toBe('LOGGER_FINISHED')
    expect(codeOf(() => logger.setMetrics({ a: 1 }, 'm'))).toBe('LOGGER_FINISHED')
    logger.emit({ type: 'status', status: 'completed' })
    expect(sink.events.map((e) => e.type)).toEqual(['log', 'status'])
    expect(sink.events.map((e) => e.seq)).toEqual([1, 2])
  })
})

describe('RunLogger sinks', () => {
  it('a throwing sink neither breaks logging nor starves the other sinks', () => {
    const good = new MemorySink()
    let calls = 0
    const logger = new RunLogger({
      runId: 'r',
      sinks: [
        {
          write: () => {
            calls++
            throw new Error('disk full')
          },
        },
        good,
      ],
    })
    logger.info('a')
    logger.setProgress(1, 2)
    expect(calls).toBe(2)
    expect(good.events).toHaveLength(2)
  })

  it('addSink receives only later events; flush and close reach every sink, even failing ones', async () => {
    const first = new MemorySink()
    const logger = new RunLogger({ runId: 'r', sinks: [first] })
    logger.info('a')
    const second = new MemorySink()
    logger.addSink(second)
    logger.info('b')
    expect(second.events.map((e) => e.seq)).toEqual([2])

    const seen: string[] = []
    logger.addSink({
      write: () => {},
      flush: async () => {
        seen.push('flush-a')
        throw new Error('no')
      },
      close: async () => {
        seen.push('close-a')
        throw new Error('no')
      },
    })
    logger.addSink({
      write: () => {},
      flush: async () => void seen.push('flush-b'),
      close: async () => void seen.push('close-b'),
    })
    await logger.flush()
    await logger.close()
    expect(seen).toEqual(['flush-a', 'flush-b', 'close-a', 'close-b'])
  })

  it('MemorySink filters by type and clears', () => {
    const { sink, logger } = setup()
    logger.info('a')
    logger.setProgress(1, 2)
    logger.info('b')
    const logs = sink.ofType('log')
    expect(logs.map((e) => e.data['message'])).toEqual(['a', 'b'])
    expect(sink.ofType('progress')).toHaveLength(1)
    expect(sink.ofType('error')).toEqual([])
    sink.clear()
    expect(sink.events).toEqual([])
  })
})

describe('redaction', () => {
  const secrets = new PluginEnvironment({
    ACCESS_TOKEN: 'tok-abcdef-123',
    DB_PASSWORD: 'correct horse',
    PRIVATE_KEY: 'pk-999999',
    MY_CREDENTIAL: 'cred-77777',
    CLIENT_SECRET: 'shh-shh-shh',
    HOST: 'example.com',
  }).secretValues()

  it('secret-looking keys are recognised', () => {
    for (const key of [
      'ACCESS_TOKEN',
      'client_secret',
      'password',
      'PASSWD',
      'API_KEY',
      'credentials',
    ]) {
      expect(SECRET_KEY_PATTERN.test(key), key).toBe(true)
    }
    expect(SECRET_KEY_PATTERN.test('HOST')).toBe(false)
    expect(secrets).toHaveLength(5)
  })

  it('no secret value appears in any event, wherever it hides', () => {
    const { sink, logger } = setup({ secrets })
    logger.info('token is tok-abcdef-123 and pw is correct horse', {
      nested: { deeper: [{ note: 'key pk-999999 inside' }, 'cred-77777'] },
      url: 'https://user:shh-shh-shh@example.com',
    })
    logger.log(
      'info',
      'uses tok-abcdef-123 as event name',
      {},
      { file: '/keys/pk-999999.pem', category: 'c' },
    )
    logger.setMetrics({ header: 'Bearer tok-abcdef-123' }, 'auth')
    logger.emit({ type: 'result', result: { echoed: ['correct horse'] } })
    logger.emit({
      type: 'error',
      error: { name: 'Error', message: 'login failed for cred-77777', stack: 'at tok-abcdef-123' },
    })
    const text = JSON.stringify(sink.events)
    for (const secret of secrets) expect(text).not.toContain(secret)
    expect(text).toContain('[redacted]')
    // Everything that is not a secret is kept.
    expect(text).toContain('https://user:[redacted]@example.com')
    expect(text).toContain('login failed for [redacted]')
  })

  it('masks string values under secret-looking keys in logged data even when not an env value', () => {
    const { sink, logger } = setup({ secrets })
    logger.info('login', { password: 'typed-by-user', attempts: 3 })
    expect(sink.ofType('log')[0]?.data).toEqual({
      message: 'login',
      password: '[redacted]',
      attempts: 3,
    })
  })

  it('redacts through RuntimeContext helpers too', () => {
    const sink = new MemorySink()
    const env = new PluginEnvironment({ SYNAPSE_ACCESS_TOKEN: 'tok-zzzzzz' })
    const ctx = new RuntimeContext({
      logger: new RunLogger({ runId: 'r', sinks: [sink], secrets: env.secretValues() }),
      env,
      runId: 'r',
    })
    ctx.logMessage(`using ${env.requireStr('SYNAPSE_ACCESS_TOKEN')}`)
    ctx.logDevEvent('dev', { token: env.get('SYNAPSE_ACCESS_TOKEN') })
    expect(JSON.stringify(sink.events)).not.toContain('tok-zzzzzz')
  })

  it('masks a secret that contains another whole', () => {
    const values = secretValuesOf({ A_TOKEN: 'abcd', B_TOKEN: 'abcdefgh' })
    expect(values).toEqual(['abcdefgh', 'abcd'])
    expect(redact('x abcdefgh y abcd', values)).toBe('x [redacted] y [redacted]')
  })

  it('copies only what it changes and leaves class instances alone', () => {
    const untouched = { a: 'fine', list: ['also fine'] }
    expect(redact(untouched, ['secret-1'])).toBe(untouched)
    const date = new Date(0)
    const changed = redact({ keep: untouched, when: date, s: 'secret-1' }, ['secret-1'])
    expect(changed.keep).toBe(untouched)
    expect(changed.when).toBe(date)
    expect(changed.s).toBe('[redacted]')
  })

  it('masks by data key only for secret-looking names, not ordinary ML fields', () => {
    const sink = new MemorySink()
    const ctx = new RuntimeContext({
      logger: new RunLogger({ runId: 'r', sinks: [sink], secrets }),
      runId: 'r',
    })
    // logMetric's own payload has a field called `key`: the metric's name must survive.
    ctx.logMetric('train', 'epoch', 3, { loss: 0.25 })
    ctx.log('model_info', {
      tokenizer: 'bert-base-uncased',
      max_tokens: '512',
      keypoints: 'coco-17',
      monkey: 'business',
      apiKey: 'user-typed-1',
      api_key: 'user-typed-2',
      authToken: 'user-typed-3',
      client_secret: 'user-typed-4',
      Password: 'user-typed-5',
    })
    const [metric, info] = sink.ofType('log')
    expect(metric?.data).toEqual({
      category: 'train',
      key: 'epoch',
      value: 3,
      metrics: { loss: 0.25 },
    })
    expect(info?.data).toEqual({
      tokenizer: 'bert-base-uncased',
      max_tokens: '512',
      keypoints: 'coco-17',
      monkey: 'business',
      apiKey: '[redacted]',
      api_key: '[redacted]',
      authToken: '[redacted]',
      client_secret: '[redacted]',
      Password: '[redacted]',
    })
  })
})
