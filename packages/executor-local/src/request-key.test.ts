import { describe, expect, it } from 'vitest'
import { requestKey, stableJson } from './request-key'

describe('requestKey', () => {
  it('ignores key order at every depth, and tells values apart', () => {
    expect(stableJson({ b: [{ y: 1, x: 2 }], a: null })).toBe('{"a":null,"b":[{"x":2,"y":1}]}')
    expect(requestKey('train', { a: 1, b: { c: 2, d: 3 } })).toBe(
      requestKey('train', { b: { d: 3, c: 2 }, a: 1 }),
    )
    expect(requestKey('train', { a: 1 })).not.toBe(requestKey('train', { a: 2 }))
    expect(requestKey('train', { a: 1 })).not.toBe(requestKey('infer', { a: 1 }))
    // Params are compared in their JSON form (a Date as its ISO string).
    expect(requestKey('t', { at: new Date(0) })).toBe(requestKey('t', { at: new Date(0) }))
    expect(requestKey('t', undefined)).toBe(requestKey('t', {}))
  })

  it('params with no JSON form have no key', () => {
    expect(requestKey('t', { f: () => 1 })).toBeUndefined()
  })
})
