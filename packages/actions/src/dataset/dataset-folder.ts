import { stat } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { ValidationError } from '@synapse/core'
import { type DatasetFormat, datasetStats, type YoloTask } from '@synapse/datasets'
import { type PreparedDataset, yoloConfig } from './prepare-dataset'

/** How {@link openDatasetFolder} reads the folder. */
export interface OpenFolderOptions {
  /** YOLO task of the folder; default from its `data.yaml`, else detect. */
  task?: YoloTask | undefined
  signal?: AbortSignal | undefined
  /** The param that named the folder, for errors; default `path`. */
  param?: string | undefined
}

/**
 * A dataset folder already in `format` (what a pipeline's converter leaves), read where it is:
 * nothing is copied or converted. The whole dataset is read first, so a folder that is missing or
 * does not read as `format` fails here with `INVALID_PARAMS`, at the param that named it and with
 * the reader's own location of the problem, before any training starts.
 */
export async function openDatasetFolder(
  path: string,
  format: DatasetFormat,
  options: OpenFolderOptions = {},
): Promise<PreparedDataset> {
  const param = options.param ?? 'path'
  const dir = resolve(path)
  const info = await stat(dir).catch(() => undefined)
  if (info === undefined || !info.isDirectory()) {
    throw invalid(
      param,
      `${dir} is not a folder${info === undefined ? ' (it does not exist)' : ''}`,
    )
  }
  let images: number
  try {
    const { stats } = await datasetStats({
      from: format,
      input: dir,
      onError: 'fail',
      ...(options.task !== undefined && { task: options.task }),
      ...(options.signal !== undefined && { signal: options.signal }),
    })
    images = stats.images
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw invalid(param, `${dir} is not a readable ${format} dataset: ${reason}`, error)
  }
  if (images === 0) throw invalid(param, `${dir} reads as ${format} but holds no images`)
  return {
    source: 'folder',
    id: undefined,
    name: basename(dir),
    format,
    path: dir,
    configPath: format === 'yolo' ? yoloConfig(dir) : undefined,
    record: undefined,
    images,
    converted: false,
    created: false,
    report: undefined,
  }
}

function invalid(param: string, message: string, cause?: unknown): ValidationError {
  return new ValidationError(
    `Invalid dataset folder in params.${param}`,
    [{ path: [param], message }],
    { code: 'INVALID_PARAMS', ...(cause !== undefined && { cause }), details: { param } },
  )
}
