import { thrownError } from '@synapse/core/testing'
import { type Step, StepRegistry, stepResult } from '@synapse/steps'
import { describe, expect, it } from 'vitest'

const step = (name: string, weight = 1): Step => ({ name, weight, execute: () => stepResult() })

describe('StepRegistry', () => {
  it('keeps steps in order through register, insertBefore, insertAfter and unregister', () => {
    const registry = new StepRegistry().register(step('a')).register(step('c'))
    registry.insertAfter('a', step('b'))
    registry.insertBefore('a', step('first'))
    registry.insertAfter('c', step('last'))
    expect(registry.names).toEqual(['first', 'a', 'b', 'c', 'last'])
    expect(registry.unregister('b')).toBe(true)
    expect(registry.unregister('b')).toBe(false)
    expect(registry.names).toEqual(['first', 'a', 'c', 'last'])
    expect(registry.size).toBe(4)
  })

  it('names the missing anchor of insertBefore and insertAfter', () => {
    const registry = new StepRegistry().register(step('a'))
    const after = thrownError(() => registry.insertAfter('nope', step('x')))
    expect(after.code).toBe('STEP_NOT_FOUND')
    expect(after.message).toContain("step 'nope' not found")
    expect(after.details).toMatchObject({ step: 'nope', registered: ['a'] })
    expect(thrownError(() => registry.insertBefore('gone', step('x'))).message).toContain(
      "insertBefore: step 'gone' not found",
    )
    expect(registry.names).toEqual(['a'])
  })

  it('refuses a duplicate name, an empty name and a weight that is negative or not finite', () => {
    const registry = new StepRegistry().register(step('a'))
    expect(thrownError(() => registry.register(step('a'))).code).toBe('STEP_DUPLICATE')
    expect(thrownError(() => registry.insertAfter('a', step('a'))).code).toBe('STEP_DUPLICATE')
    expect(thrownError(() => registry.register(step(''))).code).toBe('STEP_INVALID')
    expect(thrownError(() => registry.register(step('neg', -1))).code).toBe('STEP_INVALID')
    expect(thrownError(() => registry.register(step('nan', Number.NaN))).code).toBe('STEP_INVALID')
    expect(thrownError(() => registry.register({ ...step('t'), timeoutMs: 0 })).message).toContain(
      'timeoutMs 0',
    )
    expect(registry.names).toEqual(['a'])
  })

  it('hands out a copy of the steps, and sums their weights', () => {
    const registry = new StepRegistry().register(step('a', 0.25)).register(step('b', 0.5))
    const copy = registry.getSteps()
    copy.pop()
    expect(registry.names).toEqual(['a', 'b'])
    expect(registry.totalWeight).toBe(0.75)
    expect(registry.has('b')).toBe(true)
  })
})
