import { existsSync } from 'node:fs'
import { cp } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { PluginCategory } from '@synapse/core'
import { convert, DATASET_FORMATS, formatLossReport, normalizeFormat } from '@synapse/datasets'
import { type StepRegistry, stepResult } from '@synapse/steps'
import { z } from 'zod'
import { WorkspaceError } from '../errors/workspace-error'
import { DatasetResult } from '../results/result-schemas'
import { ActionStepContext, WorkflowAction } from '../workflow-action'
import { prepareDataset } from './prepare-dataset'

const formatName = z.string().refine(
  (v) => {
    try {
      normalizeFormat(v)
      return true
    } catch {
      return false
    }
  },
  { message: `expected a dataset format (${DATASET_FORMATS.join(', ')})` },
)

/**
 * `download`: copy workspace dataset `dataset` (converted to `targetFormat` when given) to
 * `outputDir`. `convert`: convert the folder `path` from `sourceFormat` to `targetFormat`, into
 * `outputDir` (default: a sibling `<name>_<target>`).
 */
export const DatasetParams = z.discriminatedUnion('operation', [
  z.object({
    operation: z.literal('download'),
    dataset: z.string().min(1),
    targetFormat: formatName.optional(),
    outputDir: z.string().min(1),
  }),
  z.object({
    operation: z.literal('convert'),
    path: z.string().min(1),
    sourceFormat: formatName.default('dm_v2'),
    targetFormat: formatName.default('yolo'),
    outputDir: z.string().min(1).optional(),
  }),
])

/** What a dataset workflow's steps share. */
export class DatasetContext<TAction = unknown> extends ActionStepContext<TAction> {
  result: z.output<typeof DatasetResult> | undefined
}

/**
 * Gets a dataset ready for another action: out of the workspace (`download`) or from one format
 * to another (`convert`), with the loss report in the run's log. The output folder must not
 * exist; it appears only when the whole operation succeeded.
 */
export class DatasetAction extends WorkflowAction<
  typeof DatasetParams,
  DatasetContext<DatasetAction>
> {
  static override actionName = 'dataset'
  static override description = 'Copy a workspace dataset out, or convert a dataset folder'
  static override category = PluginCategory.CUSTOM
  static override params = DatasetParams
  static override result = DatasetResult
  static override outputType = 'dataset'

  async execute(): Promise<z.output<typeof DatasetResult>> {
    const { context } = await this.runWorkflow()
    return context.result!
  }

  protected createContext() {
    return new DatasetContext<DatasetAction>(this, this.ctx)
  }

  protected setupSteps(registry: StepRegistry<DatasetContext<DatasetAction>>): void {
    const action = this
    const params = this.params
    registry.register({
      name: params.operation,
      weight: 1,
      async execute(ctx) {
        if (params.operation === 'download') {
          const out = resolve(params.outputDir)
          refuseExisting(out, 'outputDir')
          const ready = await prepareDataset(
            action.workspace,
            params.dataset,
            params.targetFormat === undefined ? undefined : normalizeFormat(params.targetFormat),
            {
              signal: ctx.signal,
              onReport: (text) => ctx.logMessage(`Dataset converted: ${text}`),
            },
          )
          await cp(ready.path, out, { recursive: true, errorOnExist: true })
          ctx.result = {
            path: out,
            format: ready.format,
            count: ready.record.images,
            sourcePath: ready.record.path,
            isCategorized: Object.keys(ready.record.splits).some((s) => s !== ''),
            ...(ready.configPath !== undefined && {
              configPath: join(out, basename(ready.configPath)),
            }),
          }
        } else {
          const input = resolve(params.path)
          const to = normalizeFormat(params.targetFormat)
          const out = resolve(params.outputDir ?? join(dirname(input), `${basename(input)}_${to}`))
          refuseExisting(out, 'outputDir')
          const done = await convert({
            from: normalizeFormat(params.sourceFormat),
            input,
            to,
            output: out,
            signal: ctx.signal,
            onProgress: (n, total) => {
              if (total > 0) ctx.setProgress(Math.min(n, total), total)
            },
          })
          ctx.logMessage(`Dataset converted: ${formatLossReport(done.report)}`)
          ctx.result = {
            path: out,
            format: to,
            count: done.report.written.images,
            sourcePath: input,
            isCategorized: false,
            ...(to === 'yolo' &&
              existsSync(join(out, 'data.yaml')) && { configPath: join(out, 'data.yaml') }),
          }
        }
        ctx.setProgress(1, 1)
        return stepResult({ data: { ...ctx.result } })
      },
    })
  }
}

function refuseExisting(path: string, param: string): void {
  if (existsSync(path)) {
    throw new WorkspaceError('WORKSPACE_INVALID_INPUT', `params.${param}: ${path} already exists`, {
      details: { path },
    })
  }
}
