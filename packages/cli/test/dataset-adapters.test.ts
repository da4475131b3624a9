import { TypeAdapterRegistry } from '@synapse/core'
import { datasetTypeAdapters, registerDatasetAdapters } from '@synapse/datasets'
import { describe, expect, it } from 'vitest'

describe("@synapse/datasets' converters as type adapters", () => {
  it('registers one adapter per ordered pair of dataset types, once', () => {
    const registry = new TypeAdapterRegistry()
    const added = registerDatasetAdapters(registry)
    expect(added).toHaveLength(20)
    expect(registry.get('coco_dataset', 'yolo_dataset')?.name).toBe('coco_to_yolo')
    expect(registry.get('pascal_voc_dataset', 'dm_v2_dataset')?.name).toBe('voc_to_dm_v2')
    expect(registerDatasetAdapters(registry)).toEqual([])
    expect(registry.list()).toHaveLength(20)
  })

  it('leaves a pair another adapter holds to it', () => {
    const registry = new TypeAdapterRegistry()
    const own = {
      name: 'my_coco_to_yolo',
      from: 'coco_dataset',
      to: 'yolo_dataset',
      lossy: false,
      convert: async () => ({ output: {} }),
    }
    registry.register(own)
    expect(registerDatasetAdapters(registry)).toHaveLength(19)
    expect(registry.get('coco_dataset', 'yolo_dataset')).toBe(own)
  })

  it('a converter without a path param says which param it needs', async () => {
    const adapter = datasetTypeAdapters().find((a) => a.name === 'yolo_to_coco')
    const error = await adapter
      ?.convert({ dataset: '/x' }, { from: 'yolo_dataset', to: 'coco_dataset' })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'INVALID_PARAMS' })
    expect(String((error as Error).message)).toMatch(/needs the dataset's folder as a 'path' param/)
  })
})
