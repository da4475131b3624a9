import { existsSync } from 'node:fs'
import { join } from 'node:path'
import {
  convert,
  type DatasetFormat,
  type DatasetReport,
  formatLossReport,
  type YoloTask,
} from '@synapse/datasets'
import type { DatasetRecord, Workspace } from '../workspace/workspace'

/**
 * A dataset ready to read in the format an action wants: a workspace dataset (converted when
 * needed), or a folder the params named that is already in that format.
 */
export interface PreparedDataset {
  /** `workspace`: from `params.dataset`; `folder`: from `params.path`, read where it is. */
  source: 'workspace' | 'folder'
  /** The workspace dataset id; `undefined` for a folder. */
  id: string | undefined
  /** The record's name, or the folder's. */
  name: string
  /** The format at `path`. */
  format: DatasetFormat
  /** Folder to read. */
  path: string
  /** YOLO's `data.yaml` when the format is YOLO and the folder has one. */
  configPath: string | undefined
  /** The stored dataset, in its own format; `undefined` for a folder. */
  record: DatasetRecord | undefined
  /** Images the dataset holds. */
  images: number
  /** True when `path` is a conversion (made now or kept from an earlier run). */
  converted: boolean
  /** True when this call made the conversion (so a rollback may drop it). */
  created: boolean
  /** The conversion's loss report, when this call converted. */
  report: DatasetReport | undefined
}

/** A {@link PreparedDataset} that came from the workspace, so it has an id and a record. */
export interface WorkspaceDataset extends PreparedDataset {
  source: 'workspace'
  id: string
  record: DatasetRecord
}

/** How {@link prepareDataset} converts. */
export interface PrepareOptions {
  task?: YoloTask | undefined
  signal?: AbortSignal | undefined
  onProgress?: ((done: number, total: number) => void) | undefined
  /** Called with the loss report's text when a conversion was made. */
  onReport?: ((text: string, report: DatasetReport) => void) | undefined
}

/**
 * Resolves `id` in the workspace and, when `format` differs from the stored one, converts it
 * through `@synapse/datasets` (once: the conversion is kept with the dataset).
 */
export async function prepareDataset(
  workspace: Workspace,
  id: string,
  format: DatasetFormat | undefined,
  options: PrepareOptions = {},
): Promise<WorkspaceDataset> {
  const record = await workspace.getDataset(id)
  const target = format ?? record.format
  let report: DatasetReport | undefined
  const { path, created } = await workspace.convertedPath(id, target, async (output) => {
    const result = await convert({
      from: record.format,
      input: record.path,
      to: target,
      output,
      images: 'copy',
      ...(options.task !== undefined && { task: options.task }),
      ...(options.signal !== undefined && { signal: options.signal }),
      ...(options.onProgress !== undefined && {
        onProgress: (done: number, total: number) => options.onProgress?.(done, total),
      }),
    })
    report = result.report
  })
  if (report !== undefined) options.onReport?.(formatLossReport(report), report)
  return {
    source: 'workspace',
    id,
    name: record.name,
    format: target,
    path,
    configPath: target === 'yolo' ? yoloConfig(path) : undefined,
    record,
    images: record.images,
    converted: target !== record.format,
    created,
    report,
  }
}

/** YOLO's `data.yaml` (or `dataset.yaml`) in `dir`, when it has one. */
export function yoloConfig(dir: string): string | undefined {
  for (const name of ['data.yaml', 'dataset.yaml']) {
    if (existsSync(join(dir, name))) return join(dir, name)
  }
  return undefined
}
