import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineAction } from '../action/define-action'
import { invokeAction } from '../action/invoke-action'
import { createTestContext } from './create-test-context'

const train = defineAction(
  { name: 'train', params: z.object({ epochs: z.number() }) },
  async ({ epochs }, ctx) => {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      ctx.throwIfCancelled()
      ctx.setProgress(epoch, epochs, 'epoch')
      ctx.setMetrics({ [`loss${epoch}`]: 1 / epoch }, 'train')
      ctx.logMessage(`epoch ${epoch} with ${ctx.env.getStr('API_TOKEN')}`)
    }
    ctx.logMessage('slow disk', 'warning')
    return { runId: ctx.runId }
  },
)

describe('createTestContext', () => {
  it('records progress in order, metrics as merged, and logs by level', async () => {
    const t = createTestContext({ runId: 'unit-1', env: { API_TOKEN: 'tok-very-secret' } })
    expect(await train.run({ epochs: 2 }, t.ctx)).toEqual({ runId: 'unit-1' })
    expect(t.progress('epoch').map((e) => e.percent)).toEqual([50, 100])
    expect(t.progress('other')).toEqual([])
    expect(t.metrics('train')).toEqual([{ loss1: 1 }, { loss1: 1, loss2: 0.5 }])
    expect(t.logs('warning').map((e) => e.data['message'])).toEqual(['slow disk'])
    expect(t.messages()).toEqual([
      'epoch 1 with [redacted]',
      'epoch 2 with [redacted]',
      'slow disk',
    ])
    expect(t.events.map((e) => e.seq)).toEqual(t.events.map((_, i) => i + 1))
    expect(t.events.every((e) => e.runId === 'unit-1')).toBe(true)
  })

  it('cancel aborts the signal the action sees', async () => {
    const t = createTestContext()
    t.cancel('stop')
    await expect(invokeAction(train, { epochs: 1 }, t.ctx)).rejects.toMatchObject({
      code: 'RUN_CANCELLED',
    })
    expect(t.ctx.signal.reason).toBe('stop')
    expect(t.events).toEqual([])
  })

  it('logLevel drops what is below it', () => {
    const t = createTestContext({ logLevel: 'warning' })
    t.ctx.logMessage('info')
    t.ctx.logMessage('warn', 'warning')
    expect(t.messages()).toEqual(['warn'])
  })
})
