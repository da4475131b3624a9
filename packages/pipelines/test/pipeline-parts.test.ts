import { defineAction, TypeAdapterRegistry } from '@synapse/core'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ActionPipeline, mergeResult } from '../src/index'
import { PipelineProgress } from '../src/pipeline-progress'
import { schemaFields } from '../src/schema-fields'

describe('mergeResult', () => {
  it('lays result keys over the params, keeps the rest, and ignores results that are not objects', () => {
    expect(mergeResult({ a: 1, b: 2 }, { b: 3, c: 4 })).toEqual({ a: 1, b: 3, c: 4 })
    expect(mergeResult({ a: 1 }, [1, 2])).toEqual({ a: 1 })
    expect(mergeResult({ a: 1 }, 'text')).toEqual({ a: 1 })
    expect(mergeResult({ a: 1 }, undefined)).toEqual({ a: 1 })
    expect(mergeResult({ a: 1 }, new Date(0))).toEqual({ a: 1 })
  })
})

describe('schemaFields', () => {
  it('reads keys and required keys through pipes and readonly, and gives up on non-objects', () => {
    const shape = z.object({
      a: z.string(),
      b: z.number().optional(),
      c: z.boolean().default(true),
    })
    expect(schemaFields(shape)).toEqual({ keys: ['a', 'b', 'c'], required: ['a'] })
    expect(schemaFields(shape.transform((v) => v.a))).toEqual({
      keys: ['a', 'b', 'c'],
      required: ['a'],
    })
    expect(schemaFields(shape.readonly())?.required).toEqual(['a'])
    expect(schemaFields(z.string())).toBeUndefined()
    expect(schemaFields(undefined)).toBeUndefined()
  })
})

describe('PipelineProgress', () => {
  it('weighs steps by their weights, and counts them equally when every weight is zero', () => {
    const weighted = new PipelineProgress([1, 3], 0)
    expect(weighted.percent(0, 50)).toBe(12.5)
    expect(weighted.complete(0)).toBe(25)
    expect(weighted.percent(1, 50)).toBe(62.5)
    expect(weighted.complete(1)).toBe(100)
    const zero = new PipelineProgress([0, 0, 0, 0], 1)
    expect(zero.percent(1, 50)).toBe(37.5)
    expect(zero.event('pipeline', 37.5)).toMatchObject({ current: 1, total: 4, percent: 37.5 })
  })
})

describe('converter chains', () => {
  it('splices a chain of two adapters into one edge, in order', () => {
    const adapters = new TypeAdapterRegistry()
      .register({
        name: 'voc_to_coco',
        from: 'pascal_voc_dataset',
        to: 'coco_dataset',
        lossy: false,
        convert: async (i) => ({ output: i }),
      })
      .register({
        name: 'coco_to_yolo',
        from: 'coco_dataset',
        to: 'yolo_dataset',
        lossy: true,
        convert: async (i) => ({ output: i }),
      })
    const a = defineAction({ name: 'a', outputType: 'pascal_voc_dataset' }, () => ({}))
    const b = defineAction({ name: 'b', inputType: 'yolo_dataset' }, () => ({}))
    const pipeline = new ActionPipeline([a, b], { adapters, insertConverters: true, strict: true })
    expect(pipeline.steps.map((s) => s.name)).toEqual(['a', 'voc_to_coco', 'coco_to_yolo', 'b'])
    expect(pipeline.diagnostics[0]?.message).toContain(
      'inserted voc_to_coco → coco_to_yolo (lossy)',
    )
  })
})
