import {
  BaseAction,
  defineAction,
  PluginEnvironment,
  PluginError,
  type RunEvent,
} from '@synapse/core'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { LocalExecutor } from '../src/local-executor'

const SECRET = 'sk-live-0123456789abcdef'

async function failure(pending: Promise<unknown>): Promise<PluginError> {
  try {
    await pending
  } catch (error) {
    if (PluginError.is(error)) return error
    throw error
  }
  throw new Error('expected a failure')
}

describe('LocalExecutor: what a new user meets first', () => {
  it('no secret of the run is in the error execute and wait give back', async () => {
    const leaky = defineAction({ name: 'leaky' }, async (_p, ctx) => {
      const key = ctx.env.getStr('API_KEY')
      throw new Error(`401 for key ${key}`, { cause: new Error(`header: Bearer ${key}`) })
    })
    const env = new PluginEnvironment({ API_KEY: SECRET })
    const executor = new LocalExecutor()
    for (const pending of [
      executor.execute({ action: leaky, params: {}, env }),
      executor.execute({ action: leaky, params: {}, env, runId: 'leaky-tracked' }),
      executor.submit({ action: leaky, params: {}, env }).then(async (id) => {
        const outcome = await executor.wait(id)
        throw outcome.error
      }),
    ]) {
      const error = await failure(pending)
      expect(error.code).toBe('EXECUTION_FAILED')
      const seen = JSON.stringify(error.toJSON())
      expect(seen).toContain('[redacted]')
      expect(seen).not.toContain(SECRET)
      expect(String(error.stack)).not.toContain(SECRET)
    }
    await executor.close()
  })

  it('a BaseAction class is accepted where a definition is', async () => {
    class Double extends BaseAction.with({ params: z.object({ n: z.number() }) }) {
      async execute() {
        return { doubled: this.params.n * 2 }
      }
    }
    const executor = new LocalExecutor()
    expect(await executor.execute({ action: Double, params: { n: 2 } })).toEqual({ doubled: 4 })
    const id = await executor.submit({ action: Double, params: { n: 5 }, runId: 'class-run' })
    expect((await executor.wait(id)).result).toEqual({ doubled: 10 })
    await expect(executor.execute({ action: Double, params: { n: 'x' } })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
    })
    await executor.close()
  })

  it('an exception thrown from a timer fails its own run, not the process or other runs', async () => {
    const crashing = defineAction({ name: 'crashing' }, async (_p, ctx) => {
      setTimeout(() => {
        throw new Error(`timer blew up near ${ctx.env.getStr('API_KEY')}`)
      }, 5)
      await new Promise((resolve) => setTimeout(resolve, 2000))
      return 'never'
    })
    const steady = defineAction({ name: 'steady' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 100))
      return 'fine'
    })
    const executor = new LocalExecutor({ env: { API_KEY: SECRET } })
    const events: RunEvent[] = []
    const [crashed, fine] = await Promise.allSettled([
      executor.execute({ action: crashing, params: {} }, { onEvent: (e) => events.push(e) }),
      executor.execute({ action: steady, params: {}, runId: 'steady' }),
    ])
    expect(fine).toEqual({ status: 'fulfilled', value: 'fine' })
    expect(crashed.status).toBe('rejected')
    const error = (crashed as PromiseRejectedResult).reason as PluginError
    expect(error.code).toBe('ACTION_CRASHED')
    expect(error.message).toContain('timer blew up')
    expect(JSON.stringify(error.toJSON())).not.toContain(SECRET)
    expect(events.at(-1)).toMatchObject({ type: 'status', status: 'failed' })
    await executor.close()
  })

  it('a promise rejection nobody handles fails the run that made it', async () => {
    const forgetful = defineAction({ name: 'forgetful' }, async () => {
      void Promise.reject(new Error('nobody awaited me'))
      await new Promise((resolve) => setTimeout(resolve, 2000))
    })
    const executor = new LocalExecutor()
    const error = await failure(executor.execute({ action: forgetful, params: {}, runId: 'f' }))
    expect(error.code).toBe('ACTION_CRASHED')
    expect(error.message).toContain('a promise rejection nobody handled')
    expect((await executor.status('f')).status).toBe('failed')
    await executor.close()
  })

  it('the process handlers are there only while a guarded run goes', async () => {
    const before = process.listenerCount('unhandledRejection')
    const executor = new LocalExecutor()
    const slow = defineAction({ name: 'slow' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 50))
    })
    const running = executor.execute({ action: slow, params: {}, runId: 'slow' })
    expect(process.listenerCount('unhandledRejection')).toBe(before + 1)
    await running
    expect(process.listenerCount('unhandledRejection')).toBe(before)
    await executor.close()
  })

  it('a million progress reports keep a handful of events in memory', async () => {
    const hot = defineAction({ name: 'hot' }, async (_p, ctx) => {
      for (let i = 1; i <= 1_000_000; i++) ctx.setProgress(i, 1_000_000, 'train')
    })
    const executor = new LocalExecutor()
    const id = await executor.submit({ action: hot, params: {} })
    await executor.wait(id)
    const events: RunEvent[] = []
    for await (const event of executor.events(id)) events.push(event)
    expect(events.filter((e) => e.type === 'progress').length).toBeLessThan(50)
    expect(events.filter((e) => e.type === 'progress').at(-1)).toMatchObject({ current: 1_000_000 })
    await executor.close()
  })
})
