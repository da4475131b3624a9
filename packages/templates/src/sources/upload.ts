// Sources of the upload template: an upload action on BaseUploadAction that accepts the file
// extensions of the data types the plugin was created for.

/** File extensions accepted for each data type an upload plugin can be created for. */
export const UPLOAD_EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  image: ['.jpg', '.jpeg', '.png', '.bmp', '.webp', '.tif', '.tiff'],
  video: ['.mp4', '.mov', '.avi', '.mkv', '.webm'],
  audio: ['.wav', '.mp3', '.flac', '.ogg', '.m4a'],
  text: ['.txt', '.json', '.jsonl', '.csv', '.md'],
  pcd: ['.pcd', '.ply', '.bin', '.las', '.laz'],
}

/** `src/upload.ts` of an upload plugin accepting `dataTypes`. */
export function uploadSource(dataTypes: readonly string[]): string {
  const extensions = dataTypes.flatMap((t) => UPLOAD_EXTENSIONS[t] ?? [])
  return `import { BaseUploadAction } from '@synapse/actions'

/** The data types this plugin uploads (\`supported_data_type\` in config.yaml). */
export const SUPPORTED_DATA_TYPES = ${JSON.stringify(dataTypes)}

/** The file extensions of those data types. */
export const ALLOWED_EXTENSIONS: readonly string[] = ${JSON.stringify(extensions)}

/**
 * Uploads the files under \`params.path\`. BaseUploadAction runs
 * \`organize → validation → upload → finalization\`: every file with another extension or over
 * \`maxFileSizeMb\` is named before anything is stored, and a failure removes what was uploaded.
 * Files go to the workspace; override \`uploadItem\` and \`removeUploaded\` for another store.
 */
export class UploadAction extends BaseUploadAction {
  static override description = 'Upload files of the supported data types'

  override getAllowedExtensions(): readonly string[] {
    return ALLOWED_EXTENSIONS
  }
}
`
}

/** `test/upload.test.ts` of an upload plugin. */
export const uploadTest = `import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BaseUploadParams } from '@synapse/actions'
import { resolveAction } from '@synapse/core'
import { createTestContext } from '@synapse/core/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ALLOWED_EXTENSIONS, UploadAction } from '../src/upload'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plugin-upload-'))
  mkdirSync(join(dir, 'files'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const run = () =>
  resolveAction(UploadAction).run(
    BaseUploadParams.parse({ name: 'demo', path: join(dir, 'files') }),
    createTestContext({ env: { SYNAPSE_WORKSPACE: join(dir, 'workspace') } }).ctx,
  )

describe('upload', () => {
  it('stores every file of a supported type', async () => {
    writeFileSync(join(dir, 'files', 'one' + ALLOWED_EXTENSIONS[0]), 'first')
    writeFileSync(join(dir, 'files', 'two' + ALLOWED_EXTENSIONS[0]), 'second')
    const result = (await run()) as { uploadedCount: number; uploaded: { sha256: string }[] }
    expect(result.uploadedCount).toBe(2)
    expect(result.uploaded[0]!.sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it('refuses the whole upload, naming the file of another type', async () => {
    writeFileSync(join(dir, 'files', 'one' + ALLOWED_EXTENSIONS[0]), 'first')
    writeFileSync(join(dir, 'files', 'setup.exe'), 'not data')
    await expect(run()).rejects.toThrow(/1 file\\(s\\) cannot be uploaded/)
  })
})
`
