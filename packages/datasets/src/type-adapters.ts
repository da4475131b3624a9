import { basename, dirname, extname, join } from 'node:path'
import {
  defaultTypeAdapters,
  type LossReport,
  type TypeAdapter,
  type TypeAdapterRegistry,
  ValidationError,
} from '@synapse/core'
import { convert } from './convert'
import type { DatasetFormat } from './model'
import type { DatasetReport } from './report'

/** core's semantic type name of each format this package converts. */
export const DATASET_TYPE_FORMATS: Readonly<Record<string, DatasetFormat>> = {
  coco_dataset: 'coco',
  yolo_dataset: 'yolo',
  pascal_voc_dataset: 'voc',
  dm_v1_dataset: 'dm_v1',
  dm_v2_dataset: 'dm_v2',
}

/**
 * One adapter per ordered pair of dataset types, each a call to {@link convert}. The adapter
 * reads the dataset at the `path` param (what the step before produced) and writes the converted
 * one beside it, `<path without extension>-<format>`, replacing an earlier output there (a
 * resumed pipeline converts again); its output is `{ path }` of the new dataset, so the next
 * step's `path` is the converted one. Every pair is marked lossy (each target drops something
 * some source can hold); the loss report says what this dataset actually lost, and is absent
 * when nothing was.
 */
export function datasetTypeAdapters(): readonly TypeAdapter[] {
  adapters ??= Object.entries(DATASET_TYPE_FORMATS).flatMap(([from, fromFormat]) =>
    Object.entries(DATASET_TYPE_FORMATS)
      .filter(([to]) => to !== from)
      .map(([to, toFormat]) => datasetAdapter(from, fromFormat, to, toFormat)),
  )
  return adapters
}

let adapters: readonly TypeAdapter[] | undefined

/**
 * Registers {@link datasetTypeAdapters} (default: into core's `defaultTypeAdapters`), so a
 * pipeline can splice a conversion into an edge between two dataset types. Calling it again is
 * harmless; a pair another adapter already holds is left to it. Returns the adapters added.
 */
export function registerDatasetAdapters(
  registry: TypeAdapterRegistry = defaultTypeAdapters,
): TypeAdapter[] {
  const added: TypeAdapter[] = []
  for (const adapter of datasetTypeAdapters()) {
    const held = registry.get(adapter.from, adapter.to)
    if (held === adapter) continue
    if (held !== undefined) continue
    registry.register(adapter)
    added.push(adapter)
  }
  return added
}

function datasetAdapter(
  from: string,
  fromFormat: DatasetFormat,
  to: string,
  toFormat: DatasetFormat,
): TypeAdapter {
  const name = `${fromFormat}_to_${toFormat}`
  return {
    name,
    from,
    to,
    lossy: true,
    description: `Converts a ${fromFormat} dataset to ${toFormat} with @synapse/datasets`,
    async convert(input, ctx) {
      const path = input['path']
      if (typeof path !== 'string' || path === '') {
        throw new ValidationError(
          `The dataset converter '${name}' needs the dataset's folder as a 'path' param from the step before`,
          [{ path: ['path'], message: `expected a path, got ${JSON.stringify(path ?? null)}` }],
          { code: 'INVALID_PARAMS', details: { adapter: name } },
        )
      }
      const output = join(dirname(path), `${basename(path, extname(path))}-${toFormat}`)
      const result = await convert({
        from: fromFormat,
        to: toFormat,
        input: path,
        output,
        overwrite: true,
        ...(ctx.signal !== undefined && { signal: ctx.signal }),
      })
      const loss = lossOf(result.report)
      return { output: { path: result.output }, ...(loss !== undefined && { loss }) }
    },
  }
}

/** The report's losses in the words a pipeline keeps with its run; none when nothing was lost. */
function lossOf(report: DatasetReport): LossReport | undefined {
  const lost = report.losses.length + report.skipped.count + report.missingImages.count
  if (lost === 0) return undefined
  const parts = report.losses.map((l) => `${l.count} ${l.subject} ${l.kind}`)
  if (report.skipped.count > 0) parts.push(`${report.skipped.count} items skipped`)
  if (report.missingImages.count > 0) parts.push(`${report.missingImages.count} images missing`)
  return {
    summary: parts.join(', '),
    details: {
      losses: report.losses,
      skipped: report.skipped.count,
      missingImages: report.missingImages.count,
      read: report.read,
      written: report.written,
    },
  }
}
