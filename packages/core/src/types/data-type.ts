/**
 * Semantic data types: what an action consumes and produces (a YOLO dataset, ONNX weights…).
 * Pipelines use them to check that one action's output fits the next one's input.
 *
 * A type is a value with a name and an optional parent; compatibility is ancestry in either
 * direction, so a `yolo_dataset` fits where a `dataset` is expected and vice versa, but two
 * siblings (`yolo_dataset`, `coco_dataset`) do not.
 */
export interface DataType {
  readonly name: string
  readonly format: string | undefined
  readonly description: string
  readonly parent: DataType | undefined
}

/** True when `a` is `b`, or one descends from the other. */
export function isCompatibleWith(a: DataType, b: DataType): boolean {
  return isSubtypeOf(a, b) || isSubtypeOf(b, a)
}

/** True when `a` is `b` or descends from it. */
export function isSubtypeOf(a: DataType, b: DataType): boolean {
  for (let t: DataType | undefined = a; t !== undefined; t = t.parent) {
    if (t === b || t.name === b.name) return true
  }
  return false
}

/** Creates a data type. Register it in a {@link DataTypeRegistry} so config.yaml can name it. */
export function defineDataType(spec: {
  name: string
  parent?: DataType
  format?: string
  description?: string
}): DataType {
  if (!/^[a-z][a-z0-9_]*$/.test(spec.name)) {
    throw new TypeError(`Data type name '${spec.name}' must be snake_case (a-z, 0-9, _)`)
  }
  return Object.freeze({
    name: spec.name,
    format: spec.format,
    description: spec.description ?? '',
    parent: spec.parent,
  })
}

const data = defineDataType({ name: 'data', description: 'Any data' })
const dataset = defineDataType({ name: 'dataset', parent: data, description: 'A dataset' })
const dmDataset = defineDataType({
  name: 'dm_dataset',
  parent: dataset,
  format: 'dm',
  description: 'DataMaker dataset',
})
const model = defineDataType({ name: 'model', parent: data, description: 'A model' })
const result = defineDataType({ name: 'result', parent: data, description: 'A result' })

/** The built-in hierarchy. */
export const DataTypes = {
  Data: data,
  Dataset: dataset,
  DMDataset: dmDataset,
  DMv1Dataset: defineDataType({ name: 'dm_v1_dataset', parent: dmDataset, format: 'dm_v1' }),
  DMv2Dataset: defineDataType({ name: 'dm_v2_dataset', parent: dmDataset, format: 'dm_v2' }),
  YOLODataset: defineDataType({ name: 'yolo_dataset', parent: dataset, format: 'yolo' }),
  COCODataset: defineDataType({ name: 'coco_dataset', parent: dataset, format: 'coco' }),
  PascalVOCDataset: defineDataType({
    name: 'pascal_voc_dataset',
    parent: dataset,
    format: 'pascal',
  }),
  Model: model,
  ModelWeights: defineDataType({ name: 'model_weights', parent: model, format: 'weights' }),
  ONNXModel: defineDataType({ name: 'onnx_model', parent: model, format: 'onnx' }),
  TensorRTModel: defineDataType({ name: 'tensorrt_model', parent: model, format: 'tensorrt' }),
  Result: result,
  TestResults: defineDataType({ name: 'test_results', parent: result, format: 'metrics' }),
  InferenceResults: defineDataType({
    name: 'inference_results',
    parent: result,
    format: 'predictions',
  }),
} as const

/**
 * Name → type lookup, so config.yaml can say `input_type: yolo_dataset`. Starts with the
 * built-in hierarchy; user-defined types are added with {@link DataTypeRegistry.register}.
 */
export class DataTypeRegistry {
  readonly #types = new Map<string, DataType>()

  constructor(types: Iterable<DataType> = Object.values(DataTypes)) {
    for (const type of types) this.register(type)
  }

  /** Adds a type. Re-registering the same object is a no-op; a different one with a taken name throws. */
  register(type: DataType): this {
    const existing = this.#types.get(type.name)
    if (existing !== undefined && existing !== type) {
      throw new TypeError(`A different data type named '${type.name}' is already registered`)
    }
    if (type.parent !== undefined && !this.#types.has(type.parent.name)) this.register(type.parent)
    this.#types.set(type.name, type)
    return this
  }

  get(name: string): DataType | undefined {
    return this.#types.get(name)
  }

  has(name: string): boolean {
    return this.#types.has(name)
  }

  names(): string[] {
    return [...this.#types.keys()]
  }
}

/** The shared default registry (an instance; pass your own to keep state local). */
export const defaultDataTypes = new DataTypeRegistry()
