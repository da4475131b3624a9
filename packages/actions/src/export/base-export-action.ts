import { existsSync } from 'node:fs'
import { mkdir, rm, stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { PluginCategory } from '@synapse/core'
import { type StepRegistry, stepResult } from '@synapse/steps'
import { z } from 'zod'
import { WorkspaceError } from '../errors/workspace-error'
import { ActionStepContext, WorkflowAction } from '../workflow-action'
import { UniquePaths } from './unique-path'

/** Progress categories of an export run. */
export const EXPORT_PROGRESS = {
  FETCH: 'fetch',
  CONVERT: 'convert',
  SAVE: 'save',
  FINALIZE: 'finalize',
} as const

/** The params every export action takes. */
export const BaseExportParams = z
  .object({
    name: z.string().trim().min(1).describe('Name of the export'),
    description: z.string().optional(),
    path: z.string().min(1).describe('Output folder; must not exist yet'),
    saveOriginalFile: z.boolean().default(true),
  })
  .loose()

/** One item that could not be exported, and at which stage. */
export interface ExportItemError {
  item: string
  stage: 'before_convert' | 'convert' | 'after_convert' | 'save'
  message: string
}

/** What an export workflow's steps share. */
export class ExportContext<TAction = unknown> extends ActionStepContext<TAction> {
  items: unknown[] = []
  converted: { id: string; data: unknown }[] = []
  itemErrors: ExportItemError[] = []
  files: string[] = []
  outputPath = ''
}

/**
 * An export action: `fetch → convert → save → finalize`. Each item goes through the exporter
 * hooks `beforeConvert → convertData → afterConvert`; an item that throws is recorded in the
 * result's `errors` (with the stage) and the others go on. `saveItem` gets a {@link UniquePaths}
 * for the output folder so two items never write the same file. A failure after files were
 * written removes the output folder again.
 */
export abstract class BaseExportAction<
  TParams extends z.ZodType<z.output<typeof BaseExportParams>> = typeof BaseExportParams,
  TItem = unknown,
  TConverted = unknown,
> extends WorkflowAction<TParams, ExportContext<BaseExportAction<TParams, TItem, TConverted>>> {
  static override category = PluginCategory.EXPORT
  /** The format written, for the result. */
  static exportFormat = 'json'
  /** The progress categories of the steps. */
  readonly progress = EXPORT_PROGRESS

  /** The items to export. */
  abstract fetchItems(): TItem[] | Promise<TItem[]>
  /** A stable name for an item, for error reports and default file names. */
  abstract itemId(item: TItem): string
  /** Hook before conversion; the identity by default. */
  beforeConvert(item: TItem): TItem | Promise<TItem> {
    return item
  }
  /** Converts one item to the export's form. */
  abstract convertData(item: TItem): TConverted | Promise<TConverted>
  /** Hook after conversion; the identity by default. */
  afterConvert(converted: TConverted): TConverted | Promise<TConverted> {
    return converted
  }
  /** Writes one converted item; returns the files written. */
  abstract saveItem(
    converted: TConverted,
    id: string,
    paths: UniquePaths,
  ): string[] | Promise<string[]>

  async execute(): Promise<Record<string, unknown>> {
    const { context } = await this.runWorkflow()
    let bytes = 0
    for (const file of context.files) bytes += (await stat(file)).size
    const failed = new Set(context.itemErrors.map((e) => e.item)).size
    return {
      outputPath: context.outputPath,
      exportedCount: context.items.length - failed,
      failedCount: failed,
      totalCount: context.items.length,
      format: (this.constructor as typeof BaseExportAction).exportFormat,
      fileSizeBytes: bytes,
      errors: context.itemErrors,
    }
  }

  protected createContext() {
    return new ExportContext<BaseExportAction<TParams, TItem, TConverted>>(this, this.ctx)
  }

  protected setupSteps(
    registry: StepRegistry<ExportContext<BaseExportAction<TParams, TItem, TConverted>>>,
  ): void {
    const action = this
    registry.register({
      name: EXPORT_PROGRESS.FETCH,
      weight: 0.1,
      async execute(ctx) {
        ctx.outputPath = resolve(action.params.path)
        if (existsSync(ctx.outputPath)) {
          throw new WorkspaceError(
            'WORKSPACE_INVALID_INPUT',
            `params.path: the output folder ${ctx.outputPath} already exists`,
            { details: { path: ctx.outputPath } },
          )
        }
        ctx.items = await action.fetchItems()
        ctx.setProgress(1, 1)
        return stepResult({ data: { count: ctx.items.length } })
      },
    })
    registry.register({
      name: EXPORT_PROGRESS.CONVERT,
      weight: 0.4,
      async execute(ctx) {
        const items = ctx.items as TItem[]
        for (const [i, item] of items.entries()) {
          ctx.throwIfCancelled()
          const id = action.itemId(item)
          let stage: ExportItemError['stage'] = 'before_convert'
          try {
            const prepared = await action.beforeConvert(item)
            stage = 'convert'
            const converted = await action.convertData(prepared)
            stage = 'after_convert'
            ctx.converted.push({ id, data: await action.afterConvert(converted) })
          } catch (error) {
            ctx.itemErrors.push({ item: id, stage, message: messageOf(error) })
          }
          ctx.setProgress(i + 1, items.length)
        }
        if (items.length === 0) ctx.setProgress(1, 1)
        return stepResult({ data: { converted: ctx.converted.length } })
      },
    })
    registry.register({
      name: EXPORT_PROGRESS.SAVE,
      weight: 0.4,
      async execute(ctx) {
        await mkdir(ctx.outputPath, { recursive: true })
        const paths = new UniquePaths(ctx.outputPath)
        for (const [i, { id, data }] of ctx.converted.entries()) {
          ctx.throwIfCancelled()
          try {
            ctx.files.push(...(await action.saveItem(data as TConverted, id, paths)))
          } catch (error) {
            ctx.itemErrors.push({ item: id, stage: 'save', message: messageOf(error) })
          }
          ctx.setProgress(i + 1, ctx.converted.length)
        }
        return stepResult({ rollbackData: { output: ctx.outputPath } })
      },
      async rollback(_ctx, result) {
        const output = result.rollbackData['output']
        if (typeof output === 'string') await rm(output, { recursive: true, force: true })
      },
    })
    registry.register({
      name: EXPORT_PROGRESS.FINALIZE,
      weight: 0.1,
      execute(ctx) {
        ctx.setProgress(1, 1)
        return stepResult()
      },
    })
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
