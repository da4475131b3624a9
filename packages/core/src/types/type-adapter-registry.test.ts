import { describe, expect, it } from 'vitest'
import { type TypeAdapter, TypeAdapterRegistry } from './type-adapter-registry'

function adapter(from: string, to: string, lossy = false): TypeAdapter {
  return {
    name: `${from}_to_${to}`,
    from,
    to,
    lossy,
    convert: async (input) => ({ output: { ...input, format: to } }),
  }
}

describe('TypeAdapterRegistry', () => {
  it('finds the adapter registered for a pair, and nothing for the reverse pair', () => {
    const coco = adapter('coco_dataset', 'yolo_dataset', true)
    const registry = new TypeAdapterRegistry().register(coco)
    expect(registry.get('coco_dataset', 'yolo_dataset')).toBe(coco)
    expect(registry.findPath('coco_dataset', 'yolo_dataset')).toEqual([coco])
    expect(registry.findPath('yolo_dataset', 'coco_dataset')).toBeUndefined()
    expect(registry.findPath('yolo_dataset', 'yolo_dataset')).toEqual([])
  })

  it('chains adapters up to maxSteps, shortest first, then fewest lossy steps', () => {
    const lossyDirect = adapter('a', 'c', true)
    const ab = adapter('a', 'b')
    const bc = adapter('b', 'c')
    const cd = adapter('c', 'd')
    const registry = new TypeAdapterRegistry().register(ab).register(bc).register(cd)
    expect(registry.findPath('a', 'c')).toEqual([ab, bc])
    expect(registry.findPath('a', 'd')).toBeUndefined()
    expect(registry.findPath('a', 'd', { maxSteps: 3 })).toEqual([ab, bc, cd])
    registry.register(lossyDirect)
    expect(registry.findPath('a', 'c')).toEqual([lossyDirect])
    expect(registry.findPath('a', 'c', { allowLossy: false })).toEqual([ab, bc])
  })

  it('prefers the chain with fewer lossy steps among chains of one length', () => {
    const registry = new TypeAdapterRegistry()
      .register(adapter('a', 'x', true))
      .register(adapter('x', 'z'))
      .register(adapter('a', 'y'))
      .register(adapter('y', 'z'))
    expect(registry.findPath('a', 'z')?.map((a) => a.name)).toEqual(['a_to_y', 'y_to_z'])
  })

  it('refuses a second adapter for a pair and one from a type to itself', () => {
    const first = adapter('a', 'b')
    const registry = new TypeAdapterRegistry().register(first).register(first)
    expect(registry.list()).toEqual([first])
    expect(() => registry.register(adapter('a', 'b'))).toThrow(/already registered \('a_to_b'\)/)
    expect(() => registry.register(adapter('a', 'a'))).toThrow(/to itself/)
  })

  it('keeps instances apart', () => {
    const one = new TypeAdapterRegistry().register(adapter('a', 'b'))
    expect(new TypeAdapterRegistry().get('a', 'b')).toBeUndefined()
    expect(one.list()).toHaveLength(1)
  })
})
