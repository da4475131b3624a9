import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
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
    await expect(run()).rejects.toThrow(/1 file\(s\) cannot be uploaded/)
  })
})
