import { stat } from 'node:fs/promises'
import { basename, extname, join, resolve } from 'node:path'
import { PluginCategory, ValidationError, type ValidationIssue } from '@synapse/core'
import { type StepRegistry, stepResult } from '@synapse/steps'
import { z } from 'zod'
import { WorkspaceError } from '../errors/workspace-error'
import { ActionStepContext, WorkflowAction } from '../workflow-action'
import { listTree } from '../workspace/files'

/** Progress categories of an upload run. */
export const UPLOAD_PROGRESS = {
  ORGANIZE: 'organize',
  VALIDATION: 'validation',
  UPLOAD: 'upload',
  FINALIZATION: 'finalization',
} as const

/** The params every upload action takes. */
export const BaseUploadParams = z
  .object({
    name: z.string().trim().min(1).describe('Name of the upload'),
    path: z.string().min(1).describe('File or folder to upload'),
    maxFileSizeMb: z.number().positive().default(50),
  })
  .loose()

/** One file to upload: where it is and the name it gets. */
export interface UploadItem {
  path: string
  /** `/`-separated name relative to the upload's root. */
  name: string
  size: number
}

/** A stored upload: enough to find it again or to remove it. */
export interface UploadedRef {
  id: string
  path: string
  sha256: string
}

/** What an upload workflow's steps share. */
export class UploadContext<TAction = unknown> extends ActionStepContext<TAction> {
  organizedFiles: UploadItem[] = []
  uploadedFiles: UploadedRef[] = []
}

/**
 * An upload action: `organize → validation → upload → finalization`. `organize` lists the files
 * under `params.path`; `validation` checks every one (size, extension) and refuses the whole
 * upload naming each bad file, before anything is stored; `upload` stores each through
 * {@link uploadItem} (by default into the workspace, kind `upload`); `finalization` runs
 * {@link finalize}. When a later step fails, every item uploaded is removed again, last first.
 */
export abstract class BaseUploadAction<
  TParams extends z.ZodType<z.output<typeof BaseUploadParams>> = typeof BaseUploadParams,
> extends WorkflowAction<TParams, UploadContext<BaseUploadAction<TParams>>> {
  static override category = PluginCategory.UPLOAD
  /** Workspace artifact kind the default {@link uploadItem} stores under. */
  static artifactKind = 'upload'
  /** The progress categories of the steps. */
  readonly progress = UPLOAD_PROGRESS

  /** Allowed extensions (lower case, with the dot), or `undefined` for any. */
  getAllowedExtensions(): readonly string[] | undefined {
    return undefined
  }

  /** The files to upload; every file under `params.path` by default. */
  async organize(): Promise<UploadItem[]> {
    const root = resolve(this.params.path)
    const info = await stat(root).catch(() => undefined)
    if (info === undefined) {
      throw new WorkspaceError('WORKSPACE_INVALID_INPUT', `params.path: ${root} does not exist`, {
        details: { path: root },
      })
    }
    if (info.isFile()) return [{ path: root, name: basename(root), size: info.size }]
    const out: UploadItem[] = []
    for (const name of await listTree(root)) {
      const path = join(root, ...name.split('/'))
      out.push({ path, name, size: (await stat(path)).size })
    }
    return out
  }

  /** Stores one file; by default as a workspace artifact. */
  async uploadItem(item: UploadItem): Promise<UploadedRef> {
    const kind = (this.constructor as typeof BaseUploadAction).artifactKind
    const record = await this.workspace.putArtifact(kind, item.path, {
      name: item.name,
      meta: { upload: this.params.name, runId: this.ctx.runId },
    })
    return { id: record.id, path: record.path, sha256: record.sha256 }
  }

  /** Undoes {@link uploadItem}. */
  async removeUploaded(ref: UploadedRef): Promise<void> {
    await this.workspace.deleteArtifact(
      (this.constructor as typeof BaseUploadAction).artifactKind,
      ref.id,
    )
  }

  /** Last step (data units, notifications); nothing by default. */
  finalize(_ctx: UploadContext): void | Promise<void> {}

  async execute(): Promise<Record<string, unknown>> {
    const { context } = await this.runWorkflow()
    return {
      uploadedCount: context.uploadedFiles.length,
      status: 'completed',
      uploaded: context.uploadedFiles,
    }
  }

  protected createContext() {
    return new UploadContext<BaseUploadAction<TParams>>(this, this.ctx)
  }

  protected setupSteps(registry: StepRegistry<UploadContext<BaseUploadAction<TParams>>>): void {
    const action = this
    registry.register({
      name: UPLOAD_PROGRESS.ORGANIZE,
      weight: 0.1,
      async execute(ctx) {
        ctx.organizedFiles = await action.organize()
        ctx.setProgress(1, 1)
        return stepResult({ data: { files: ctx.organizedFiles.length } })
      },
    })
    registry.register({
      name: UPLOAD_PROGRESS.VALIDATION,
      weight: 0.1,
      execute(ctx) {
        const allowed = action.getAllowedExtensions()
        const limit = action.params.maxFileSizeMb * 1024 * 1024
        const issues: ValidationIssue[] = []
        for (const item of ctx.organizedFiles) {
          const ext = extname(item.name).toLowerCase()
          if (allowed !== undefined && !allowed.includes(ext)) {
            issues.push({
              path: ['files', item.name],
              message: `extension '${ext}' is not allowed (allowed: ${allowed.join(', ')})`,
            })
          }
          if (item.size > limit) {
            issues.push({
              path: ['files', item.name],
              message: `${item.size} bytes is over maxFileSizeMb ${action.params.maxFileSizeMb}`,
            })
          }
        }
        if (issues.length > 0) {
          throw new ValidationError(`${issues.length} file(s) cannot be uploaded`, issues)
        }
        if (ctx.organizedFiles.length === 0) {
          throw new WorkspaceError(
            'WORKSPACE_INVALID_INPUT',
            `params.path: no files under ${resolve(action.params.path)}`,
          )
        }
        ctx.setProgress(1, 1)
        return stepResult()
      },
    })
    registry.register({
      name: UPLOAD_PROGRESS.UPLOAD,
      weight: 0.7,
      async execute(ctx) {
        for (const [i, item] of ctx.organizedFiles.entries()) {
          ctx.throwIfCancelled()
          ctx.uploadedFiles.push(await action.uploadItem(item))
          ctx.setProgress(i + 1, ctx.organizedFiles.length)
        }
        // The rollback reads the context's list, so items stored before a failure in this very
        // step are removed too.
        return stepResult({ data: { uploaded: ctx.uploadedFiles.length } })
      },
      async rollback(ctx) {
        for (const ref of [...ctx.uploadedFiles].reverse()) {
          await action.removeUploaded(ref)
          ctx.log('upload_rolled_back', { id: ref.id })
        }
        ctx.uploadedFiles = []
      },
    })
    registry.register({
      name: UPLOAD_PROGRESS.FINALIZATION,
      weight: 0.1,
      async execute(ctx) {
        await action.finalize(ctx)
        ctx.setProgress(1, 1)
        return stepResult()
      },
    })
  }
}
