import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { LocalWorkspace, resolveWorkspaceRoot, WorkspaceError } from '@synapse/actions'
import { ChecksumMismatchError } from '@synapse/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir, writeYoloDataset } from './support'

let tmp: ReturnType<typeof tempDir>
let ws: LocalWorkspace

beforeEach(() => {
  tmp = tempDir()
  ws = new LocalWorkspace(join(tmp.dir, 'ws'))
})
afterEach(() => tmp.remove())

function dataset(): string {
  const dir = join(tmp.dir, 'pets')
  mkdirSync(dir)
  return writeYoloDataset(dir)
}

describe('workspace root', () => {
  it('is the run store’s folder unless named', () => {
    expect(resolveWorkspaceRoot({ cwd: '/p', env: {} })).toBe('/p/.synapse')
    expect(resolveWorkspaceRoot({ cwd: '/p', env: { SYNAPSE_STORE: 'runs/s.db' } })).toBe('/p/runs')
    expect(resolveWorkspaceRoot({ cwd: '/p', env: { SYNAPSE_STORE: ':memory:' } })).toBe(
      '/p/.synapse',
    )
    expect(
      resolveWorkspaceRoot({
        cwd: '/p',
        env: { SYNAPSE_STORE: '/s/x.db', SYNAPSE_WORKSPACE: 'w' },
      }),
    ).toBe('/p/w')
    expect(resolveWorkspaceRoot({ cwd: '/p', path: '/abs', env: { SYNAPSE_WORKSPACE: 'w' } })).toBe(
      '/abs',
    )
  })
})

describe('datasets', () => {
  it('adds a checked copy with its counts, and lists it', async () => {
    const source = dataset()
    const record = await ws.addDataset(source, { format: 'yolo', name: 'pets' })
    expect(record).toMatchObject({
      name: 'pets',
      format: 'yolo',
      images: 4,
      annotations: 4,
      categories: 2,
      splits: { train: 2, val: 2 },
      source,
    })
    expect(record.id).toMatch(/^ds-[0-9a-f]{8}$/)
    expect(existsSync(join(record.path, 'labels', 'train', 'train_0.txt'))).toBe(true)
    // A copy: changing the source afterwards changes nothing stored.
    writeFileSync(join(source, 'labels', 'train', 'train_0.txt'), '1 0.1 0.1 0.1 0.1\n')
    expect(readFileSync(join(record.path, 'labels', 'train', 'train_0.txt'), 'utf8')).toBe(
      '0 0.5 0.5 0.25 0.25\n',
    )
    expect(await ws.listDatasets()).toEqual([record])
    expect(await ws.getDataset(record.id)).toEqual(record)
  })

  it('refuses a folder that does not read in the format named, naming the file, storing nothing', async () => {
    const source = dataset()
    writeFileSync(join(source, 'labels', 'train', 'train_1.txt'), '0 0.5 oops 0.2 0.2\n')
    const error = await ws.addDataset(source, { format: 'yolo' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WorkspaceError)
    expect((error as WorkspaceError).code).toBe('WORKSPACE_INVALID_INPUT')
    expect((error as Error).message).toMatch(/train_1\.txt:1/)
    expect(existsSync(join(tmp.dir, 'ws', 'datasets'))).toBe(false)
  })

  it('refuses an unknown format and a missing path', async () => {
    await expect(ws.addDataset(dataset(), { format: 'parquet' })).rejects.toThrow(
      /unknown format 'parquet'/,
    )
    await expect(ws.addDataset(join(tmp.dir, 'nope'), { format: 'yolo' })).rejects.toThrow(
      /does not exist/,
    )
    expect(await ws.listDatasets()).toEqual([])
  })

  it('a dataset id that does not exist is a clear error naming it', async () => {
    const record = await ws.addDataset(dataset(), { format: 'yolo' })
    const error = await ws.getDataset('ds-00000000').catch((e: unknown) => e)
    expect((error as WorkspaceError).code).toBe('WORKSPACE_DATASET_NOT_FOUND')
    expect((error as Error).message).toContain("No dataset 'ds-00000000'")
    expect((error as Error).message).toContain(record.id)
    // Ids are folder names: a path is never looked up.
    await expect(ws.getDataset('../../etc')).rejects.toThrow(/No dataset '\.\.\/\.\.\/etc'/)
  })
})

describe('models', () => {
  function weights(text = 'weights-v1'): string {
    const file = join(tmp.dir, 'weights.bin')
    writeFileSync(file, text)
    return file
  }

  it('stores a copy with its SHA-256 and metadata, and reads it back checked', async () => {
    const model = await ws.createModel(weights(), { name: 'mlp', meta: { accuracy: 0.9 } })
    expect(model).toMatchObject({ kind: 'model', name: 'mlp', meta: { accuracy: 0.9 }, size: 10 })
    const expected = createHash('sha256').update('weights-v1').digest('hex')
    expect(model.files).toEqual([{ path: 'weights.bin', size: 10, sha256: expected }])
    expect(readFileSync(model.path, 'utf8')).toBe('weights-v1')
    expect(await ws.getModel(model.id)).toEqual(model)
    expect(await ws.listModels()).toEqual([model])
    // Nothing temporary is left next to it.
    expect(readdirSync(join(tmp.dir, 'ws', 'models'))).toEqual([model.id])
  })

  it('a corrupt model file is a checksum mismatch naming the file', async () => {
    const model = await ws.createModel(weights())
    writeFileSync(model.path, 'weights-v2')
    const error = await ws.getModel(model.id).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ChecksumMismatchError)
    expect((error as ChecksumMismatchError).code).toBe('CHECKSUM_MISMATCH')
    expect((error as Error).message).toContain(model.path)
    expect((error as Error).message).toContain(model.files[0]!.sha256)
  })

  it('a deleted model file is reported missing', async () => {
    const model = await ws.createModel(weights())
    rmSync(model.path)
    await expect(ws.getModel(model.id)).rejects.toThrow(/is missing/)
  })

  it('stores folders file by file', async () => {
    const dir = join(tmp.dir, 'model-dir')
    mkdirSync(join(dir, 'sub'), { recursive: true })
    writeFileSync(join(dir, 'model.json'), '{}')
    writeFileSync(join(dir, 'sub', 'w.bin'), 'abc')
    const model = await ws.createModel(dir)
    expect(model.files.map((f) => f.path)).toEqual(['model.json', 'sub/w.bin'])
    expect(existsSync(join(model.path, 'sub', 'w.bin'))).toBe(true)
    writeFileSync(join(model.path, 'sub', 'w.bin'), 'abd')
    await expect(ws.getModel(model.id)).rejects.toThrow(/sub\/w\.bin does not match/)
  })

  it('an unknown artifact is a clear error, and a bad kind is refused', async () => {
    await expect(ws.getArtifact('upload', 'upload-00000000')).rejects.toMatchObject({
      code: 'WORKSPACE_ARTIFACT_NOT_FOUND',
    })
    await expect(ws.putArtifact('../up', weights())).rejects.toThrow(/Artifact kind '\.\.\/up'/)
  })

  it('an unknown model id and a missing source are clear errors', async () => {
    await expect(ws.getModel('model-ffffffff')).rejects.toMatchObject({
      code: 'WORKSPACE_MODEL_NOT_FOUND',
    })
    await expect(ws.createModel(join(tmp.dir, 'none.bin'))).rejects.toMatchObject({
      code: 'WORKSPACE_INVALID_INPUT',
    })
    expect(existsSync(join(tmp.dir, 'ws', 'models'))).toBe(false)
  })
})
