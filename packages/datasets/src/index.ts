// @synapse/datasets — the public API, read as a table of contents. (Sorted by module: biome
// orders export statements, so each carries its own heading.)

// What each target holds, as data: loss reports and the README matrix come from it.
export {
  CAPABILITY_TARGETS,
  type Capability,
  type CapabilityMark,
  type CapabilitySubject,
  type CapabilityTarget,
  capability,
  capabilityTarget,
  coordinateTolerance,
  renderConversionMatrix,
} from './capabilities'
// Class order: synapse-sdk's sorted names, as an option.
export { type ClassOrder, sortedClassNames } from './classes'
// Contexts readers and writers take, and the policies they carry.
export type { CrowdPolicy, ImageTransfer, ProgressFn, ReadContext, WriteContext } from './context'
// Conventions: coordinates, VOC origin, half-even 6-digit formatting, clipping.
export {
  boxToVoc,
  clip01,
  formatFixed6,
  formatNumber,
  ringsArea,
  ringsExtent,
  type VocOrigin,
  vocToBox,
  YOLO_TOLERANCE,
} from './conventions'
// convert(): any format to any format, with a loss report. What `synapse dataset convert` calls.
export {
  type ConvertOptions,
  type ConvertResult,
  convert,
  inferYoloTask,
  type ReadOptions,
} from './convert'
// The differ: a dataset against what came back from a target, in the loss report's words.
export { type DatasetChange, type DiffOptions, diffDatasets } from './diff'
// Errors: one class, stable codes, a location (file, line, column or JSON path).
export {
  DATASET_ERROR_CODES,
  DatasetError,
  type DatasetErrorCode,
  type DatasetErrorLocation,
  formatLocation,
  isDatasetError,
} from './errors'
// Formats: names, and reading/writing the hub model without converting.
export {
  DATASET_FORMATS,
  type DatasetFormatName,
  normalizeFormat,
  readDataset,
  writeDataset,
} from './formats'
// zod model of COCO files.
export {
  cocoAnnotationSchema,
  cocoCategorySchema,
  cocoFileSchema,
  cocoImageSchema,
  cocoRleSchema,
} from './formats/coco/schema'
// zod models of DM v1 and v2 files.
export {
  dmV1FileSchema,
  dmV2DataSchemas,
  dmV2FileSchema,
  dmV2ItemSchema,
} from './formats/dm/schema'
// DM v1 ↔ v2 for every image tool.
export { dmV1ToV2, dmV2ToV1 } from './formats/dm/v1-v2'
// zod model of Pascal VOC files.
export { vocAnnotationSchema, vocObjectSchema } from './formats/voc/schema'
// zod model of YOLO data.yaml.
export { yoloDataYamlSchema } from './formats/yolo/schema'
// Image sizes from headers, never from pixels.
export type { ExifPolicy } from './io/image-header'
export { readImageSize } from './io/image-header'
// Mask outlines: RLE masks traced into polygons along pixel edges (for YOLO segment).
export { type MaskOutlines, rleOutlines } from './mask-outline'
// The hub model every reader produces and every writer consumes.
export type {
  Annotation,
  Attr,
  Category,
  Dataset,
  DatasetFormat,
  Extra,
  ImageRecord,
  Link,
  Rle,
  YoloTask,
} from './model'
// The report every call returns, and its text form for terminals.
export {
  type DatasetReport,
  formatLossReport,
  type LossEntry,
  type LossKind,
  type OnError,
  type WarningEntry,
} from './report'
// COCO run-length masks: compressed strings, areas, boxes, DM pixel indices.
export {
  decodeRleCounts,
  encodeRleCounts,
  pixelIndicesToRle,
  rleArea,
  rleBox,
  rleToPixelIndices,
} from './rle'
// datasetStats(): what `synapse dataset stats` calls.
export {
  type AnnotationKind,
  type ClassStats,
  type DatasetStats,
  datasetStats,
  formatDatasetStats,
  type SplitStats,
} from './stats'
// Converters as core type adapters, so a pipeline can splice a conversion between two steps.
export {
  DATASET_TYPE_FORMATS,
  datasetTypeAdapters,
  registerDatasetAdapters,
} from './type-adapters'
// validateDataset(): what `synapse dataset validate` calls.
export {
  checkReferences,
  VALIDATION_PROBLEMS,
  type ValidateOptions,
  type ValidateResult,
  validateDataset,
} from './validate'
