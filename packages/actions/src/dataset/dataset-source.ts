import { ValidationError } from '@synapse/core'
import type { DatasetFormat } from '@synapse/datasets'
import type { Workspace } from '../workspace/workspace'
import { openDatasetFolder } from './dataset-folder'
import { type PreparedDataset, type PrepareOptions, prepareDataset } from './prepare-dataset'

/** Where an action's params say its dataset is: exactly one of the two. */
export interface DatasetSourceParams {
  /** A workspace dataset id, in any format (converted to the action's). */
  dataset?: string | undefined
  /** A dataset folder already in the action's format (a pipeline's converter output). */
  path?: string | undefined
}

/**
 * Which of `params.dataset` and `params.path` names the dataset: `undefined` when neither does;
 * both at once is an `INVALID_PARAMS` error naming the two, since either could be the one meant
 * (in a pipeline, a `path` carried over from an earlier step: drop one with `map: [{ omit: … }]`).
 */
export function datasetSourceOf(
  params: DatasetSourceParams,
): { dataset: string } | { path: string } | undefined {
  const { dataset, path } = params
  if (dataset !== undefined && path !== undefined) {
    throw new ValidationError(
      'Give the dataset once: params.dataset (a workspace dataset id) or params.path (a dataset folder), not both (in a pipeline file, drop the one not meant with map: [{ omit: [dataset] }])',
      [
        { path: ['dataset'], message: `a workspace dataset id, ${JSON.stringify(dataset)}` },
        { path: ['path'], message: `a dataset folder, ${JSON.stringify(path)}` },
      ],
      { code: 'INVALID_PARAMS', details: { params: ['dataset', 'path'] } },
    )
  }
  if (dataset !== undefined) return { dataset }
  if (path !== undefined) return { path }
  return undefined
}

/**
 * The dataset the params name, in `format`: a workspace dataset (`params.dataset`, resolved and
 * converted once as {@link prepareDataset} does) or a folder already in `format`
 * (`params.path`, checked by {@link openDatasetFolder}). Neither, both, a folder without a
 * `format` to read it in, or a folder that does not read, is an `INVALID_PARAMS` error.
 */
export async function prepareDatasetFrom(
  workspace: Workspace,
  params: DatasetSourceParams,
  format: DatasetFormat | undefined,
  options: PrepareOptions = {},
): Promise<PreparedDataset> {
  const source = datasetSourceOf(params)
  if (source === undefined) {
    throw new ValidationError(
      `No dataset: set params.dataset to a workspace dataset id (see \`synapse workspace datasets list\`) or params.path to a ${format ?? 'dataset'} folder`,
      [{ path: ['dataset'], message: 'required (or params.path)' }],
      { code: 'INVALID_PARAMS', details: { params: ['dataset', 'path'] } },
    )
  }
  if ('dataset' in source) return prepareDataset(workspace, source.dataset, format, options)
  if (format === undefined) {
    throw new ValidationError(
      'This action reads datasets in their stored format, so it cannot tell how to read a folder: set params.dataset to a workspace dataset id instead',
      [{ path: ['path'], message: 'not supported by this action (it declares no dataset format)' }],
      { code: 'INVALID_PARAMS', details: { param: 'path' } },
    )
  }
  return openDatasetFolder(source.path, format, {
    task: options.task,
    signal: options.signal,
  })
}
