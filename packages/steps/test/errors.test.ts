import { errorKindOf, PluginError } from '@synapse/core'
import { STEP_ERROR_KINDS, StepTimeoutError, StepUsageError } from '@synapse/steps'
import { describe, expect, it } from 'vitest'

describe('step errors', () => {
  it('declare their codes to core, so callers see them as failures', () => {
    for (const code of Object.keys(STEP_ERROR_KINDS)) expect(errorKindOf(code)).toBe('failure')
  })

  it('come back from JSON as their own class', () => {
    const timeout = PluginError.fromJSON(
      JSON.parse(JSON.stringify(new StepTimeoutError('train', 250))),
    )
    expect(timeout).toBeInstanceOf(StepTimeoutError)
    expect([(timeout as StepTimeoutError).step, (timeout as StepTimeoutError).timeoutMs]).toEqual([
      'train',
      250,
    ])
    expect(timeout.message).toBe("Step 'train' timed out after 250 ms")
    const usage = PluginError.fromJSON(
      JSON.parse(JSON.stringify(new StepUsageError('STEP_NOT_FOUND', 'missing'))),
    )
    expect(usage).toBeInstanceOf(StepUsageError)
    expect(usage.code).toBe('STEP_NOT_FOUND')
  })
})
