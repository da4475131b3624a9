import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { BaseTrainAction, LocalWorkspace, type TrainContext, trainParams } from '@synapse/actions'
import { CancelledError, type ValidationError } from '@synapse/core'
import type { DatasetFormat } from '@synapse/datasets'
import { StepFailedError } from '@synapse/steps'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { runAction, tempDir, workspaceContext, writeYoloDataset } from './support'

const Params = trainParams({
  epochs: z.number().int().min(1).default(4),
  lr: z.number().positive().default(0.1),
  fail: z.enum(['none', 'after-save']).default('none'),
  selfStore: z.boolean().default(false),
})

/** Trains nothing real: walks the converted COCO file, "fits" a loss, writes a weights file. */
class CocoTrain extends BaseTrainAction<typeof Params> {
  static override actionName = 'coco-train'
  static override params = Params
  static override targetFormat: DatasetFormat | undefined = 'coco'
  seen: TrainContext<unknown, z.output<typeof Params>> | undefined

  async train(ctx: TrainContext<unknown, z.output<typeof Params>>) {
    this.seen = ctx
    const dataset = ctx.dataset
    const files = dataset === undefined ? [] : [join(dataset.path, 'annotations')]
    let loss = 1
    for (let epoch = 1; epoch <= this.params.epochs; epoch++) {
      loss *= 1 - this.params.lr
      this.setProgress(epoch, this.params.epochs, this.progress.TRAIN)
      this.setMetrics({ epoch, loss })
    }
    const out = join(tmp.dir, `weights-${Math.random()}.bin`)
    writeFileSync(out, `loss=${loss}`)
    if (this.params.selfStore) await this.createModel(out, { name: 'self', meta: { loss } })
    else {
      ctx.modelPath = out
      ctx.modelMeta = { name: 'tiny', meta: { loss } }
    }
    if (this.params.fail === 'after-save') throw new Error('disk full after saving')
    return { finalLoss: loss, files: files.length, checkpoint: ctx.checkpoint?.path ?? null }
  }
}

/** The same training, reading datasets as stored: it cannot tell a folder's format. */
class AsStoredTrain extends CocoTrain {
  static override targetFormat: DatasetFormat | undefined = undefined
}

/** The same training, reading YOLO: the fixture's folder is in its format as it is. */
class YoloTrain extends CocoTrain {
  static override targetFormat: DatasetFormat | undefined = 'yolo'
}

let tmp: ReturnType<typeof tempDir>
let yoloDir: string
let wsRoot: string
let ws: LocalWorkspace
let datasetId: string

beforeEach(async () => {
  tmp = tempDir()
  wsRoot = join(tmp.dir, 'ws')
  ws = new LocalWorkspace(wsRoot)
  const src = join(tmp.dir, 'pets')
  mkdirSync(src)
  yoloDir = writeYoloDataset(src)
  datasetId = (await ws.addDataset(yoloDir, { format: 'yolo' })).id
})
afterEach(() => tmp.remove())

describe('train params', () => {
  it('copy hyperparameters[0] to the top level where not set; explicit values win', () => {
    expect(Params.parse({ hyperparameters: [{ epochs: 7, lr: 0.5 }] })).toMatchObject({
      epochs: 7,
      lr: 0.5,
      isTune: false,
    })
    expect(Params.parse({ epochs: 2, hyperparameters: [{ epochs: 7 }] }).epochs).toBe(2)
    // Flattened values are validated like any other.
    expect(() => Params.parse({ hyperparameters: [{ epochs: 0 }] })).toThrow()
  })
})

/** Stores a model, then trains until the run is cancelled. */
class UntilCancelled extends BaseTrainAction<typeof Params> {
  static override params = Params
  static override targetFormat = 'coco' as const
  started = Promise.withResolvers<void>()
  async train(): Promise<Record<string, unknown>> {
    const out = join(tmp.dir, 'partial.bin')
    writeFileSync(out, 'epoch 1')
    await this.createModel(out, { name: 'partial' })
    this.started.resolve()
    for (let epoch = 1; ; epoch++) {
      this.ctx.throwIfCancelled()
      this.setProgress(epoch, 1000)
      await new Promise((r) => setTimeout(r, 2))
    }
  }
}

describe('BaseTrainAction', () => {
  it('a run cancelled mid-train ends cancelled, its model and conversion removed', async () => {
    const t = workspaceContext(wsRoot)
    const action = new UntilCancelled(Params.parse({ dataset: datasetId }), t.ctx)
    const running = Promise.resolve(action.run()).catch((e: unknown) => e)
    await action.started.promise
    expect(await ws.listModels()).toHaveLength(1)
    t.cancel()
    const error = await running
    expect(error).toBeInstanceOf(CancelledError)
    expect((error as CancelledError).code).toBe('RUN_CANCELLED')
    expect(await ws.listModels()).toEqual([])
    expect(existsSync(join(wsRoot, 'datasets', datasetId, 'converted', 'coco'))).toBe(false)
  })

  it('runs dataset → convert → train → model_upload and stores the model with its checksum', async () => {
    const t = workspaceContext(wsRoot)
    const result = await runAction(CocoTrain, { dataset: datasetId, epochs: 4 }, t)
    const steps = [...new Set(t.progress().map((p) => p.category))].filter((c) => c !== 'overall')
    expect(steps).toEqual(['dataset', 'convert', 'train', 'model_upload'])
    expect(t.progress('train').map((p) => p.percent)).toEqual([25, 50, 75, 100])
    expect(t.metrics('train').at(-1)).toMatchObject({ epoch: 4 })
    const overall = t.progress('overall').map((p) => p.percent)
    expect(overall).toEqual([...overall].sort((a, b) => a - b))
    expect(overall.at(-1)).toBe(100)
    // The loss report of the YOLO → COCO conversion went to the run's log.
    expect(t.messages().some((m) => m.startsWith('Dataset converted: yolo → coco'))).toBe(true)

    const model = result['model'] as { id: string; sha256: string; path: string }
    expect(result['finalLoss']).toBeCloseTo(0.9 ** 4)
    const stored = await ws.getModel(model.id)
    expect(stored.sha256).toBe(model.sha256)
    expect(stored.meta).toMatchObject({
      loss: result['finalLoss'],
      runId: 'test-run',
      dataset: datasetId,
    })
    expect(readFileSync(stored.path, 'utf8')).toBe(`loss=${result['finalLoss']}`)
    expect(existsSync(join(wsRoot, 'datasets', datasetId, 'converted', 'coco'))).toBe(true)
  })

  it('converts once: a second run reuses the kept conversion', async () => {
    await runAction(CocoTrain, { dataset: datasetId }, workspaceContext(wsRoot))
    const t = workspaceContext(wsRoot)
    await runAction(CocoTrain, { dataset: datasetId }, t)
    expect(t.messages().some((m) => m.startsWith('Dataset converted'))).toBe(false)
    expect(await ws.listModels()).toHaveLength(2)
  })

  it('a dataset id that does not exist fails naming it, and creates nothing', async () => {
    const t = workspaceContext(wsRoot)
    const error = await runAction(CocoTrain, { dataset: 'ds-deadbeef' }, t).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StepFailedError)
    expect((error as StepFailedError).step).toBe('dataset')
    const cause = (error as StepFailedError).cause as { code: string; message: string }
    expect(cause.code).toBe('WORKSPACE_DATASET_NOT_FOUND')
    expect(cause.message).toContain("No dataset 'ds-deadbeef'")
    expect(existsSync(join(wsRoot, 'models'))).toBe(false)
    expect(existsSync(join(wsRoot, 'datasets', datasetId, 'converted'))).toBe(false)
  })

  it('a failing train step removes the model it stored and the conversion this run made', async () => {
    const t = workspaceContext(wsRoot)
    const error = await runAction(
      CocoTrain,
      { dataset: datasetId, fail: 'after-save', selfStore: true },
      t,
    ).catch((e: unknown) => e)
    expect((error as StepFailedError).step).toBe('train')
    expect(((error as StepFailedError).cause as Error).message).toBe('disk full after saving')
    expect(await ws.listModels()).toEqual([])
    expect(existsSync(join(wsRoot, 'datasets', datasetId, 'converted', 'coco'))).toBe(false)
  })

  it('a model stored by train itself is the result’s model; model_upload is skipped', async () => {
    const t = workspaceContext(wsRoot)
    const result = await runAction(CocoTrain, { dataset: datasetId, selfStore: true }, t)
    const models = await ws.listModels()
    expect(models.map((m) => m.name)).toEqual(['self'])
    expect((result['model'] as { id: string }).id).toBe(models[0]!.id)
    expect(t.progress('model_upload')).toEqual([])
  })

  it('resolves params.checkpoint to a checked workspace model; a corrupt one fails', async () => {
    const base = join(tmp.dir, 'base.bin')
    writeFileSync(base, 'base weights')
    const model = await ws.createModel(base, { name: 'base' })
    const result = await runAction(
      CocoTrain,
      { dataset: datasetId, checkpoint: model.id },
      workspaceContext(wsRoot),
    )
    expect(result['checkpoint']).toBe(model.path)

    writeFileSync(model.path, 'tampered')
    const error = await runAction(
      CocoTrain,
      { dataset: datasetId, checkpoint: model.id },
      workspaceContext(wsRoot),
    ).catch((e: unknown) => e)
    expect(((error as StepFailedError).cause as { code: string }).code).toBe('CHECKSUM_MISMATCH')
  })

  it('without a dataset, fetch and convert are skipped and train still runs', async () => {
    const t = workspaceContext(wsRoot)
    const result = await runAction(CocoTrain, {}, t)
    expect(result['files']).toBe(0)
    expect(t.progress('dataset')).toEqual([])
    expect(t.progress('overall').at(-1)?.percent).toBe(100)
  })

  it('getDataset() without params.dataset is a clear error', async () => {
    const action = new CocoTrain(Params.parse({}), workspaceContext(wsRoot).ctx)
    await expect(action.getDataset()).rejects.toThrow(/set params\.dataset/)
  })

  it('trains on a folder given by params.path in the target format: read in place, not converted', async () => {
    const t = workspaceContext(wsRoot)
    const result = await runAction(YoloTrain, { path: yoloDir, epochs: 2 }, t)
    const steps = [...new Set(t.progress().map((p) => p.category))].filter((c) => c !== 'overall')
    expect(steps).toEqual(['dataset', 'train', 'model_upload'])
    const resolved = t.logs().find((l) => l.event === 'dataset_resolved')
    expect(resolved?.data).toEqual({ path: yoloDir, format: 'yolo', images: 4 })
    expect(result['files']).toBe(1)
    const model = await ws.getModel((result['model'] as { id: string }).id)
    expect(model.meta).toMatchObject({ datasetPath: yoloDir })
    expect(model.meta).not.toHaveProperty('dataset')
    // Nothing was converted or copied into the workspace's dataset store.
    expect(existsSync(join(wsRoot, 'datasets', datasetId, 'converted'))).toBe(false)
  })

  it('params.dataset and params.path together fail at the dataset step naming both; nothing is stored', async () => {
    const t = workspaceContext(wsRoot)
    const error = await runAction(CocoTrain, { dataset: datasetId, path: yoloDir }, t).catch(
      (e: unknown) => e,
    )
    expect((error as StepFailedError).step).toBe('dataset')
    const cause = (error as StepFailedError).cause as ValidationError
    expect(cause.code).toBe('INVALID_PARAMS')
    expect(cause.issues.map((i) => i.path)).toEqual([['dataset'], ['path']])
    expect(cause.message).toMatch(/not both/)
    expect(existsSync(join(wsRoot, 'models'))).toBe(false)
    expect(existsSync(join(wsRoot, 'datasets', datasetId, 'converted'))).toBe(false)
  })

  it('a params.path that is not a dataset of the target format fails naming the param and the reader’s reason', async () => {
    // A YOLO folder handed to an action that reads COCO: no COCO annotations there.
    const wrong = await runAction(CocoTrain, { path: yoloDir }, workspaceContext(wsRoot)).catch(
      (e: unknown) => e,
    )
    const cause = (wrong as StepFailedError).cause as ValidationError
    expect((wrong as StepFailedError).step).toBe('dataset')
    expect(cause.code).toBe('INVALID_PARAMS')
    expect(cause.issues[0]?.path).toEqual(['path'])
    expect(cause.message).toContain(`${yoloDir} is not a readable coco dataset`)

    const missing = join(tmp.dir, 'nowhere')
    const gone = await runAction(YoloTrain, { path: missing }, workspaceContext(wsRoot)).catch(
      (e: unknown) => e,
    )
    expect(((gone as StepFailedError).cause as Error).message).toContain(
      `${missing} is not a folder (it does not exist)`,
    )
    expect(existsSync(join(wsRoot, 'models'))).toBe(false)
  })

  it('a params.path for an action that declares no format is refused, pointing to params.dataset', async () => {
    const error = await runAction(AsStoredTrain, { path: yoloDir }, workspaceContext(wsRoot)).catch(
      (e: unknown) => e,
    )
    const cause = (error as StepFailedError).cause as ValidationError
    expect(cause.code).toBe('INVALID_PARAMS')
    expect(cause.issues[0]?.path).toEqual(['path'])
    expect(cause.message).toMatch(/set params\.dataset to a workspace dataset id instead/)
    // The workspace id still works for it, in the stored format.
    const result = await runAction(AsStoredTrain, { dataset: datasetId }, workspaceContext(wsRoot))
    expect(result['files']).toBe(1)
  })
})
