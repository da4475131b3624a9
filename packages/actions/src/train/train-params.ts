import { z } from 'zod'

/**
 * The params every training action takes. `dataset` is a workspace dataset id, or `path` a
 * dataset folder already in the action's format (one of the two); `checkpoint` a
 * workspace model id to start from; `splits` maps split names to filters and is passed to
 * `train` as given; `hyperparameters` is a list of sets (one for a plain run, several to tune).
 */
export const BaseTrainParams = z
  .object({
    dataset: z.string().min(1).optional().describe('Workspace dataset id to train on'),
    path: z
      .string()
      .min(1)
      .optional()
      .describe("Dataset folder already in the action's format (instead of dataset)"),
    splits: z.record(z.string(), z.unknown()).optional().describe('Split name → filters'),
    checkpoint: z.string().min(1).optional().describe('Workspace model id to start from'),
    isTune: z.boolean().default(false).describe('A tuning run (several hyperparameter sets)'),
    hyperparameters: z
      .array(z.record(z.string(), z.unknown()))
      .optional()
      .describe('Hyperparameter sets; the first one also fills top-level params not given'),
  })
  .loose()

/**
 * Copies the keys of `hyperparameters[0]` to the top level where the input does not set them
 * itself (an explicit top-level value wins), so `{hyperparameters: [{epochs: 5}]}` validates as
 * `{epochs: 5, …}`. Anything that is not such an object passes unchanged for the schema to judge.
 */
export function flattenHyperparameters(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input
  const record = input as Record<string, unknown>
  const sets = record['hyperparameters']
  if (!Array.isArray(sets) || sets.length === 0) return input
  const first: unknown = sets[0]
  if (typeof first !== 'object' || first === null || Array.isArray(first)) return input
  const out: Record<string, unknown> = { ...record }
  for (const [key, value] of Object.entries(first)) if (!(key in out)) out[key] = value
  return out
}

/**
 * A training action's params schema: {@link BaseTrainParams} with `shape` added, behind the
 * hyperparameter flattening rule.
 *
 * @example
 * const Params = trainParams({ epochs: z.number().int().min(1).default(20) })
 * // { dataset: 'ds-1', hyperparameters: [{ epochs: 5 }] } → epochs 5
 */
export function trainParams<TShape extends z.ZodRawShape>(shape: TShape) {
  return z.preprocess(flattenHyperparameters, BaseTrainParams.extend(shape))
}
