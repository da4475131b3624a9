import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  BaseAutoLabelAction,
  BaseExportAction,
  BaseExportParams,
  BaseInferenceAction,
  BaseInferenceParams,
  BaseUploadAction,
  BaseUploadParams,
  DatasetAction,
  LocalWorkspace,
  type ModelRecord,
  type UniquePaths,
  type UploadContext,
} from '@synapse/actions'
import type { StepFailedError } from '@synapse/steps'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { runAction, tempDir, workspaceContext, writeYoloDataset } from './support'

let tmp: ReturnType<typeof tempDir>
let wsRoot: string
let ws: LocalWorkspace

beforeEach(() => {
  tmp = tempDir()
  wsRoot = join(tmp.dir, 'ws')
  ws = new LocalWorkspace(wsRoot)
})
afterEach(() => tmp.remove())

const InferParams = BaseInferenceParams.extend({ inputs: z.array(z.number()) })

/** y = a·x + b, with a and b read from the stored model file. */
class LinearInference extends BaseInferenceAction<
  typeof InferParams,
  { a: number; b: number },
  number,
  number
> {
  static override params = InferParams
  batches: number[][] = []
  loadModel(record: ModelRecord) {
    return JSON.parse(readFileSync(record.path, 'utf8')) as { a: number; b: number }
  }
  requests() {
    return this.params.inputs
  }
  infer(model: { a: number; b: number }, batch: number[]) {
    this.batches.push(batch)
    return batch.map((x) => model.a * x + model.b)
  }
  override postprocess(predictions: number[]) {
    return predictions.map((y) => ({ y }))
  }
}

describe('BaseInferenceAction', () => {
  it('loads the model through the workspace and predicts in batches, with progress per batch', async () => {
    const file = join(tmp.dir, 'linear.json')
    writeFileSync(file, JSON.stringify({ a: 2, b: 1 }))
    const model = await ws.createModel(file)
    const t = workspaceContext(wsRoot)
    const result = await runAction(
      LinearInference,
      { model: model.id, batchSize: 2, inputs: [0, 1, 2, 3, 4] },
      t,
    )
    expect(result).toEqual({
      predictions: [{ y: 1 }, { y: 3 }, { y: 5 }, { y: 7 }, { y: 9 }],
      processedCount: 5,
    })
    expect(t.progress('inference').map((p) => p.current)).toEqual([2, 4, 5])
    expect(t.progress('overall').at(-1)?.percent).toBe(100)
  })

  it('refuses a tampered model before inferring anything', async () => {
    const file = join(tmp.dir, 'linear.json')
    writeFileSync(file, JSON.stringify({ a: 2, b: 1 }))
    const model = await ws.createModel(file)
    writeFileSync(model.path, JSON.stringify({ a: 200, b: 1 }))
    const error = await runAction(
      LinearInference,
      { model: model.id, inputs: [1] },
      workspaceContext(wsRoot),
    ).catch((e: unknown) => e)
    expect((error as StepFailedError).step).toBe('model_load')
    expect(((error as StepFailedError).cause as { code: string }).code).toBe('CHECKSUM_MISMATCH')
  })
})

const ExportParams = BaseExportParams.extend({ failSave: z.boolean().default(false) })
type Doc = { name: string; value: number }

/** Exports documents as JSON files named after them; a negative value cannot be converted. */
class JsonExport extends BaseExportAction<typeof ExportParams, Doc, Doc> {
  static override params = ExportParams
  journal: string[] = []
  fetchItems(): Doc[] {
    return [
      { name: 'a', value: 1 },
      { name: 'A', value: 2 },
      { name: 'b', value: -1 },
      { name: 'a', value: 3 },
    ]
  }
  itemId(item: Doc) {
    return `${item.name}:${item.value}`
  }
  override beforeConvert(item: Doc) {
    this.journal.push(`before:${item.value}`)
    return item
  }
  convertData(item: Doc) {
    this.journal.push(`convert:${item.value}`)
    if (item.value < 0) throw new Error('negative values cannot be exported')
    return { ...item, value: item.value * 10 }
  }
  override afterConvert(item: Doc) {
    this.journal.push(`after:${item.value}`)
    return item
  }
  saveItem(item: Doc, _id: string, paths: UniquePaths) {
    if (this.params.failSave && item.value === 30) throw new Error('unreachable')
    const file = paths.next(`${item.name}.json`)
    writeFileSync(file, JSON.stringify(item))
    return [file]
  }
}

/** As JsonExport, but its finalize step fails after every file is written. */
class BrokenFinalizeExport extends JsonExport {
  protected override setupSteps(registry: Parameters<JsonExport['setupSteps']>[0]): void {
    super.setupSteps(registry)
    registry.unregister('finalize')
    registry.register({
      name: 'finalize',
      weight: 0.1,
      execute() {
        throw new Error('manifest upload refused')
      },
    })
  }
}

describe('BaseExportAction', () => {
  it('runs the exporter hooks in order, lists failed items, and never reuses an output path', async () => {
    const out = join(tmp.dir, 'export')
    const t = workspaceContext(wsRoot)
    const action = new JsonExport(ExportParams.parse({ name: 'docs', path: out }), t.ctx)
    const result = (await action.run()) as Record<string, unknown>
    expect(action.journal.slice(0, 3)).toEqual(['before:1', 'convert:1', 'after:10'])
    expect(action.journal).toContain('convert:-1')
    expect(action.journal).not.toContain('after:-1')
    expect(result).toMatchObject({
      outputPath: out,
      exportedCount: 3,
      failedCount: 1,
      totalCount: 4,
      errors: [{ item: 'b:-1', stage: 'convert', message: 'negative values cannot be exported' }],
    })
    // 'a', 'A' and the second 'a' would collide (the second 'a' exactly, 'A' on macOS/Windows).
    expect(readdirSync(out).sort()).toEqual(['A_1.json', 'a.json', 'a_2.json'])
    expect(JSON.parse(readFileSync(join(out, 'a_2.json'), 'utf8'))).toEqual({
      name: 'a',
      value: 30,
    })
  })

  it('a failure after saving removes the output folder', async () => {
    const out = join(tmp.dir, 'export')
    const t = workspaceContext(wsRoot)
    const action = new BrokenFinalizeExport(ExportParams.parse({ name: 'docs', path: out }), t.ctx)
    const error = await Promise.resolve(action.run()).catch((e: unknown) => e)
    expect((error as StepFailedError).step).toBe('finalize')
    expect(existsSync(out)).toBe(false)
  })

  it('refuses an output folder that exists, touching nothing in it', async () => {
    const out = join(tmp.dir, 'export')
    mkdirSync(out)
    writeFileSync(join(out, 'keep.txt'), 'mine')
    const action = new JsonExport(
      ExportParams.parse({ name: 'docs', path: out }),
      workspaceContext(wsRoot).ctx,
    )
    await expect(Promise.resolve(action.run())).rejects.toThrow(/already exists/)
    expect(readdirSync(out)).toEqual(['keep.txt'])
  })
})

const UploadParams = BaseUploadParams.extend({ failFinalize: z.boolean().default(false) })

/** Uploads into the workspace; records the order of removals on rollback. */
class WorkspaceUpload extends BaseUploadAction<typeof UploadParams> {
  static override params = UploadParams
  removed: string[] = []
  override getAllowedExtensions() {
    return ['.txt', '.json']
  }
  override async removeUploaded(ref: { id: string; path: string; sha256: string }) {
    this.removed.push(ref.path.split('/').at(-1)!)
    await super.removeUploaded(ref)
  }
  override finalize(_ctx: UploadContext) {
    if (this.params.failFinalize) throw new Error('data units could not be created')
  }
}

describe('BaseUploadAction', () => {
  function files(names: Record<string, string>): string {
    const dir = join(tmp.dir, 'files')
    mkdirSync(dir, { recursive: true })
    for (const [name, text] of Object.entries(names)) writeFileSync(join(dir, name), text)
    return dir
  }

  it('organises, validates and uploads every file, each checksummed', async () => {
    const path = files({ 'a.txt': 'one', 'b.json': '{}' })
    const t = workspaceContext(wsRoot)
    const result = await runAction(WorkspaceUpload, { name: 'batch', path }, t)
    expect(result).toMatchObject({ uploadedCount: 2, status: 'completed' })
    const stored = await ws.listArtifacts('upload')
    expect(stored.map((s) => s.name).sort()).toEqual(['a.txt', 'b.json'])
    expect((await ws.getArtifact('upload', stored[0]!.id)).files).toHaveLength(1)
    expect([...new Set(t.progress().map((p) => p.category))]).toEqual([
      'overall',
      'organize',
      'validation',
      'upload',
      'finalization',
    ])
  })

  it('refuses the whole upload naming every bad file, storing nothing', async () => {
    const path = files({ 'a.txt': 'one', 'b.exe': 'x', 'c.txt': 'x'.repeat(2048) })
    const error = await runAction(
      WorkspaceUpload,
      { name: 'batch', path, maxFileSizeMb: 0.001 },
      workspaceContext(wsRoot),
    ).catch((e: unknown) => e)
    expect((error as StepFailedError).step).toBe('validation')
    const message = ((error as StepFailedError).cause as Error).message
    expect(message).toMatch(/b\.exe.*extension '\.exe' is not allowed/)
    expect(message).toMatch(/c\.txt.*2048 bytes is over maxFileSizeMb/)
    expect(await ws.listArtifacts('upload')).toEqual([])
  })

  it('a failing finalise rolls back every uploaded item, last first', async () => {
    const path = files({ 'a.txt': '1', 'b.txt': '2', 'c.txt': '3' })
    const t = workspaceContext(wsRoot)
    const action = new WorkspaceUpload(
      UploadParams.parse({ name: 'batch', path, failFinalize: true }),
      t.ctx,
    )
    const error = await Promise.resolve(action.run()).catch((e: unknown) => e)
    expect((error as StepFailedError).step).toBe('finalization')
    expect(action.removed).toEqual(['c.txt', 'b.txt', 'a.txt'])
    expect(await ws.listArtifacts('upload')).toEqual([])
    expect(t.logs().filter((l) => l.event === 'upload_rolled_back')).toHaveLength(3)
  })
})

describe('DatasetAction', () => {
  it('converts a folder and downloads a workspace dataset in another format', async () => {
    const src = join(tmp.dir, 'pets')
    mkdirSync(src)
    writeYoloDataset(src)
    const converted = await runAction(
      DatasetAction,
      { operation: 'convert', path: src, sourceFormat: 'yolo', targetFormat: 'coco' },
      workspaceContext(wsRoot),
    )
    expect(converted).toMatchObject({ path: `${src}_coco`, format: 'coco', count: 4 })
    expect(existsSync(`${src}_coco`)).toBe(true)

    const record = await ws.addDataset(src, { format: 'yolo' })
    const out = join(tmp.dir, 'out')
    const t = workspaceContext(wsRoot)
    const downloaded = await runAction(
      DatasetAction,
      { operation: 'download', dataset: record.id, targetFormat: 'voc', outputDir: out },
      t,
    )
    expect(downloaded).toMatchObject({ path: out, format: 'voc', count: 4 })
    expect(t.messages().some((m) => m.startsWith('Dataset converted: yolo → voc'))).toBe(true)
  })

  it('an unknown format is a params error naming the field', () => {
    const r = DatasetAction.params.safeParse({
      operation: 'convert',
      path: 'x',
      targetFormat: 'csv',
    })
    expect(r.success).toBe(false)
    expect(r.error?.issues[0]?.path).toEqual(['targetFormat'])
  })
})

class EchoLabel extends BaseAutoLabelAction<
  z.ZodObject<{ text: z.ZodString }>,
  string[],
  number[]
> {
  static override params = z.object({ text: z.string() })
  handleInput() {
    return this.params.text.split(' ')
  }
  runInference(words: string[]) {
    return words.map((w) => w.length)
  }
  handleOutput(lengths: number[]) {
    return { annotations: lengths.map((n, i) => ({ index: i, label: n > 3 ? 'long' : 'short' })) }
  }
}

describe('BaseAutoLabelAction', () => {
  it('runs input_transform → inference → output_transform', async () => {
    const t = workspaceContext(wsRoot)
    const result = await runAction(EchoLabel, { text: 'a quick fox' }, t)
    expect(result).toEqual({
      annotations: [
        { index: 0, label: 'short' },
        { index: 1, label: 'long' },
        { index: 2, label: 'short' },
      ],
    })
    expect([...new Set(t.progress().map((p) => p.category))]).toEqual([
      'overall',
      'input_transform',
      'inference',
      'output_transform',
    ])
  })
})
