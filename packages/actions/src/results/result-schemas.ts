import { z } from 'zod'

/** Trained weights: the main file, checkpoints along the way, and their format. */
export const WeightsResult = z.object({
  weightsPath: z.string(),
  checkpointPaths: z.array(z.string()).default([]),
  format: z.string().default('pt'),
})

/** Metrics of one category (`train`, `val`…). */
export const MetricsResult = z.object({
  metrics: z.record(z.string(), z.number()),
  category: z.string().default('default'),
})

/** What a training run produced. */
export const TrainResult = z.object({
  weightsPath: z.string(),
  finalEpoch: z.number().int(),
  bestEpoch: z.number().int().optional(),
  trainMetrics: z.record(z.string(), z.number()).default({}),
  valMetrics: z.record(z.string(), z.number()).default({}),
})

/** What an inference run produced. */
export const InferenceResult = z.object({
  predictions: z.array(z.unknown()),
  processedCount: z.number().int().min(0),
  outputPath: z.string().optional(),
})

/** What an export run produced, with every item that failed. */
export const ExportResult = z.object({
  outputPath: z.string(),
  exportedCount: z.number().int().min(0),
  failedCount: z.number().int().min(0),
  totalCount: z.number().int().min(0),
  format: z.string(),
  fileSizeBytes: z.number().int().min(0).optional(),
  errors: z.array(z.object({ item: z.string(), stage: z.string(), message: z.string() })),
})

/** What an upload run stored. */
export const UploadResult = z.object({
  uploadedCount: z.number().int().min(0),
  remotePath: z.string().optional(),
  status: z.enum(['completed', 'partial']),
  uploaded: z.array(z.object({ id: z.string(), path: z.string(), sha256: z.string() })),
})

/** A dataset made ready by `DatasetAction`: where, in which format, how many images. */
export const DatasetResult = z.object({
  path: z.string(),
  format: z.string(),
  configPath: z.string().optional(),
  count: z.number().int().min(0).optional(),
  sourcePath: z.string().optional(),
  isCategorized: z.boolean().default(false),
})
