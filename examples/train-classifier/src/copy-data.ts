import { cp, mkdir, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { BaseAction } from '@synapse/core'
import { z } from 'zod'

/** The COCO dataset this plugin ships. */
export const SHIPPED_DATA = join(import.meta.dirname, '..', 'data', 'shapes')

export const CopyDataParams = z.object({
  workdir: z
    .string()
    .min(1)
    .describe('Folder to copy the dataset into (relative: to where the command runs)'),
})

export const CopyDataResult = z.object({ path: z.string() })

/**
 * Copies the COCO dataset the plugin ships to `<workdir>/shapes` and returns its `path`, so a
 * pipeline starts from a `coco_dataset` of its own: the converter spliced after it writes
 * `<workdir>/shapes-yolo` beside it, not into the plugin's folder. An earlier copy there is
 * replaced (a resumed pipeline copies again).
 */
export class CopyData extends BaseAction<typeof CopyDataParams> {
  static override actionName = 'copy-data'
  static override description = 'Copy the shipped COCO dataset into a working folder'
  static override params = CopyDataParams
  static override result = CopyDataResult
  static override outputType = 'coco_dataset'

  async execute(): Promise<z.output<typeof CopyDataResult>> {
    const workdir = resolve(this.params.workdir)
    const path = join(workdir, 'shapes')
    await mkdir(workdir, { recursive: true })
    await rm(path, { recursive: true, force: true })
    await cp(SHIPPED_DATA, path, { recursive: true })
    this.setProgress(1, 1)
    this.logMessage(`Copied the shipped COCO dataset to ${path}`)
    return { path }
  }
}
