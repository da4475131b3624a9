// @synapse/datasets — the public API, read as a table of contents.

export type { CrowdPolicy, ImageTransfer, ProgressFn, ReadContext, WriteContext } from './context'
// Conventions: coordinates, number formatting, RLE.
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
// Conversion, validation and statistics: what the CLI calls.
export {
  type ConvertOptions,
  type ConvertResult,
  convert,
  inferYoloTask,
  type ReadOptions,
} from './convert'
// Errors: one class, stable codes, a location (file, line, column or JSON path).
export {
  DATASET_ERROR_CODES,
  DatasetError,
  type DatasetErrorCode,
  type DatasetErrorLocation,
  formatLocation,
  isDatasetError,
} from './errors'
// Formats, the hub model and reading/writing without converting.
export {
  DATASET_FORMATS,
  type DatasetFormatName,
  normalizeFormat,
  readDataset,
  writeDataset,
} from './formats'
// zod models of every file this package reads.
export {
  cocoAnnotationSchema,
  cocoCategorySchema,
  cocoFileSchema,
  cocoImageSchema,
  cocoRleSchema,
} from './formats/coco/schema'
export {
  dmV1FileSchema,
  dmV2DataSchemas,
  dmV2FileSchema,
  dmV2ItemSchema,
} from './formats/dm/schema'
export { dmV1ToV2, dmV2ToV1 } from './formats/dm/v1-v2'
export { vocAnnotationSchema, vocObjectSchema } from './formats/voc/schema'
export { yoloDataYamlSchema } from './formats/yolo/schema'
export type { ExifPolicy } from './io/image-header'
export { readImageSize } from './io/image-header'
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
// The loss report every call returns, and its text form.
export {
  type DatasetReport,
  formatLossReport,
  type LossEntry,
  type LossKind,
  type OnError,
  type WarningEntry,
} from './report'
export {
  decodeRleCounts,
  encodeRleCounts,
  pixelIndicesToRle,
  rleArea,
  rleBox,
  rleToPixelIndices,
} from './rle'
export {
  type AnnotationKind,
  type ClassStats,
  type DatasetStats,
  datasetStats,
  formatDatasetStats,
  type SplitStats,
} from './stats'
export {
  checkReferences,
  VALIDATION_PROBLEMS,
  type ValidateOptions,
  type ValidateResult,
  validateDataset,
} from './validate'
