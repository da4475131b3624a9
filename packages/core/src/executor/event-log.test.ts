import { describe, expect, it } from 'vitest'
import { PluginRunError } from '../errors/errors'
import type { RunEvent } from '../logging/run-event'
import { RunLogger } from '../logging/run-logger'
import { EventLog } from './event-log'
import type { ExecutorProtocol } from './executor-protocol'
import { ExecutorRegistry } from './executor-registry'
import { isValidRunId } from './run-id'

function logWithLogger() {
  const log = new EventLog()
  const logger = new RunLogger({ runId: 'r', sinks: [log] })
  return { log, logger }
}

async function collect(iterable: AsyncIterable<RunEvent>): Promise<number[]> {
  const seqs: number[] = []
  for await (const event of iterable) seqs.push(event.seq)
  return seqs
}

describe('EventLog', () => {
  it('read without follow yields what is there and ends', async () => {
    const { log, logger } = logWithLogger()
    logger.info('a')
    logger.info('b')
    expect(await collect(log.read())).toEqual([1, 2])
    expect(log.size).toBe(2)
    expect(log.snapshot().map((e) => e.seq)).toEqual([1, 2])
  })

  it('afterSeq skips what the reader already has', async () => {
    const { log, logger } = logWithLogger()
    for (const m of ['a', 'b', 'c', 'd']) logger.info(m)
    expect(await collect(log.read({ afterSeq: 2 }))).toEqual([3, 4])
    expect(await collect(log.read({ afterSeq: 4 }))).toEqual([])
  })

  it('follow yields later events as they come and ends when the log closes', async () => {
    const { log, logger } = logWithLogger()
    logger.info('before')
    const seen: number[] = []
    const gotFirst = Promise.withResolvers<void>()
    const gotThird = Promise.withResolvers<void>()
    const reading = (async () => {
      for await (const event of log.read({ follow: true })) {
        seen.push(event.seq)
        if (event.seq === 1) gotFirst.resolve()
        if (event.seq === 3) gotThird.resolve()
      }
    })()
    await gotFirst.promise
    logger.info('later 1')
    logger.info('later 2')
    await gotThird.promise
    expect(log.closed).toBe(false)
    await log.close()
    await reading
    expect(seen).toEqual([1, 2, 3])
  })

  it('several followers each see every event; afterSeq with follow', async () => {
    const { log, logger } = logWithLogger()
    logger.info('a')
    const a = collect(log.read({ follow: true }))
    const b = collect(log.read({ follow: true, afterSeq: 1 }))
    logger.info('b')
    logger.info('c')
    await log.close()
    expect(await a).toEqual([1, 2, 3])
    expect(await b).toEqual([2, 3])
  })

  it('after close, writes are ignored and followers end at once', async () => {
    const { log, logger } = logWithLogger()
    logger.info('a')
    await log.close()
    logger.info('ignored')
    expect(log.size).toBe(1)
    expect(await collect(log.read({ follow: true }))).toEqual([1])
  })

  it('an abort signal ends a follower that is waiting', async () => {
    const { log, logger } = logWithLogger()
    logger.info('a')
    const controller = new AbortController()
    const gotFirst = Promise.withResolvers<void>()
    const seen: number[] = []
    const reading = (async () => {
      for await (const event of log.read({ follow: true, signal: controller.signal })) {
        seen.push(event.seq)
        gotFirst.resolve()
      }
    })()
    await gotFirst.promise
    controller.abort()
    await reading
    expect(seen).toEqual([1])
    expect(log.closed).toBe(false)
    // An already-aborted signal reads what is there and stops.
    expect(await collect(log.read({ follow: true, signal: controller.signal }))).toEqual([1])
  })
})

describe('ExecutorRegistry', () => {
  const fake = (name: string) => ({ name }) as unknown as ExecutorProtocol

  it('returns registered executors; factories run once, on first use', () => {
    let made = 0
    const local = fake('local')
    const registry = new ExecutorRegistry().register('local', local).register('task', () => {
      made++
      return fake('task')
    })
    expect(registry.modes()).toEqual(['local', 'task'])
    expect(made).toBe(0)
    expect(registry.get('local')).toBe(local)
    const task = registry.get('task')
    expect(registry.get('task')).toBe(task)
    expect(made).toBe(1)
  })

  it('re-registering a mode replaces its executor', () => {
    const registry = new ExecutorRegistry().register('local', fake('a'))
    expect(registry.get('local').name).toBe('a')
    registry.register('local', fake('b'))
    expect(registry.get('local').name).toBe('b')
  })

  it('an unknown mode is UNKNOWN_MODE naming the available ones', () => {
    const registry = new ExecutorRegistry().register('local', fake('local'))
    let error: unknown
    try {
      registry.get('ray')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(PluginRunError)
    expect((error as PluginRunError).code).toBe('UNKNOWN_MODE')
    expect((error as PluginRunError).message).toContain('Available modes: local')
    expect(() => new ExecutorRegistry().get('local')).toThrow(/\(none\)/)
  })
})

describe('run ids', () => {
  it.each(['', '-leading-dash', '../escape', 'has space', 'a/b', 'x'.repeat(129), 'ümlaut'])(
    'rejects %j',
    (id) => {
      expect(isValidRunId(id)).toBe(false)
    },
  )

  it.each(['a', 'run-1', 'Run_2.retry', 'x'.repeat(128)])('accepts %j', (id) => {
    expect(isValidRunId(id)).toBe(true)
  })
})
