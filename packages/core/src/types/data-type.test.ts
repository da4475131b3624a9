import { describe, expect, it } from 'vitest'
import {
  DataTypeRegistry,
  DataTypes,
  defaultDataTypes,
  defineDataType,
  isCompatibleWith,
  isSubtypeOf,
} from './data-type'

describe('DataType compatibility', () => {
  it('parent and child are compatible both ways; a type with itself too', () => {
    expect(isCompatibleWith(DataTypes.YOLODataset, DataTypes.Dataset)).toBe(true)
    expect(isCompatibleWith(DataTypes.Dataset, DataTypes.YOLODataset)).toBe(true)
    expect(isCompatibleWith(DataTypes.DMv2Dataset, DataTypes.Data)).toBe(true)
    expect(isCompatibleWith(DataTypes.Data, DataTypes.DMv2Dataset)).toBe(true)
    expect(isCompatibleWith(DataTypes.ONNXModel, DataTypes.ONNXModel)).toBe(true)
  })

  it('siblings, cousins and other branches are not', () => {
    expect(isCompatibleWith(DataTypes.YOLODataset, DataTypes.COCODataset)).toBe(false)
    expect(isCompatibleWith(DataTypes.DMv1Dataset, DataTypes.DMv2Dataset)).toBe(false)
    expect(isCompatibleWith(DataTypes.DMv1Dataset, DataTypes.YOLODataset)).toBe(false)
    expect(isCompatibleWith(DataTypes.Model, DataTypes.Dataset)).toBe(false)
    expect(isCompatibleWith(DataTypes.TestResults, DataTypes.ONNXModel)).toBe(false)
  })

  it('isSubtypeOf is one-directional', () => {
    expect(isSubtypeOf(DataTypes.DMv1Dataset, DataTypes.DMDataset)).toBe(true)
    expect(isSubtypeOf(DataTypes.DMDataset, DataTypes.DMv1Dataset)).toBe(false)
  })

  it('has the spec hierarchy: 15 built-in types with their names, formats and parents', () => {
    const table = Object.values(DataTypes).map((t) => [t.name, t.format, t.parent?.name])
    expect(table).toEqual([
      ['data', undefined, undefined],
      ['dataset', undefined, 'data'],
      ['dm_dataset', 'dm', 'dataset'],
      ['dm_v1_dataset', 'dm_v1', 'dm_dataset'],
      ['dm_v2_dataset', 'dm_v2', 'dm_dataset'],
      ['yolo_dataset', 'yolo', 'dataset'],
      ['coco_dataset', 'coco', 'dataset'],
      ['pascal_voc_dataset', 'pascal', 'dataset'],
      ['model', undefined, 'data'],
      ['model_weights', 'weights', 'model'],
      ['onnx_model', 'onnx', 'model'],
      ['tensorrt_model', 'tensorrt', 'model'],
      ['result', undefined, 'data'],
      ['test_results', 'metrics', 'result'],
      ['inference_results', 'predictions', 'result'],
    ])
  })
})

describe('defineDataType', () => {
  it('makes a frozen type that takes part in compatibility', () => {
    const kitti = defineDataType({
      name: 'kitti_dataset',
      parent: DataTypes.Dataset,
      format: 'kitti',
    })
    expect(Object.isFrozen(kitti)).toBe(true)
    expect(kitti.description).toBe('')
    expect(isCompatibleWith(kitti, DataTypes.Dataset)).toBe(true)
    expect(isCompatibleWith(kitti, DataTypes.YOLODataset)).toBe(false)
  })

  it.each(['KittiDataset', 'kitti-dataset', '1kitti', '', 'kitti dataset'])(
    'rejects the non-snake_case name %j',
    (name) => {
      expect(() => defineDataType({ name })).toThrow(/snake_case/)
    },
  )
})

describe('DataTypeRegistry', () => {
  it('looks built-in types up by name', () => {
    const registry = new DataTypeRegistry()
    expect(registry.get('yolo_dataset')).toBe(DataTypes.YOLODataset)
    expect(registry.has('onnx_model')).toBe(true)
    expect(registry.get('nope')).toBeUndefined()
    expect(registry.names()).toHaveLength(15)
    expect(defaultDataTypes.get('dataset')).toBe(DataTypes.Dataset)
  })

  it('registers user-defined types, and their unregistered ancestors with them', () => {
    const registry = new DataTypeRegistry([])
    const pointCloud = defineDataType({ name: 'point_cloud', parent: DataTypes.Data })
    const kitti = defineDataType({ name: 'kitti_point_cloud', parent: pointCloud })
    registry.register(kitti)
    expect(registry.names().sort()).toEqual(['data', 'kitti_point_cloud', 'point_cloud'])
    expect(registry.get('point_cloud')).toBe(pointCloud)
  })

  it('re-registering the same type is a no-op; a different type under a taken name throws', () => {
    const registry = new DataTypeRegistry()
    expect(() => registry.register(DataTypes.YOLODataset)).not.toThrow()
    const impostor = defineDataType({ name: 'yolo_dataset', parent: DataTypes.Dataset })
    expect(() => registry.register(impostor)).toThrow(/already registered/)
    expect(registry.get('yolo_dataset')).toBe(DataTypes.YOLODataset)
  })

  it('registries are independent of each other and of the default one', () => {
    const local = new DataTypeRegistry()
    local.register(defineDataType({ name: 'only_here', parent: DataTypes.Data }))
    expect(local.has('only_here')).toBe(true)
    expect(defaultDataTypes.has('only_here')).toBe(false)
    expect(new DataTypeRegistry().has('only_here')).toBe(false)
  })
})
