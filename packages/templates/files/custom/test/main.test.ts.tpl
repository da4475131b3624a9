import { createTestContext } from '@synapse/core/testing'
import { describe, expect, it } from 'vitest'
import { MainParams, main } from '../src/main'

describe('main', () => {
  it('greets and logs whom', async () => {
    const t = createTestContext()
    expect(await main.run(MainParams.parse({ name: 'Ada' }), t.ctx)).toEqual({ message: 'Hello Ada!' })
    expect(t.messages()).toEqual(['greeting Ada'])
  })

  it('refuses an empty name', () => {
    expect(MainParams.safeParse({ name: '' }).success).toBe(false)
  })
})
