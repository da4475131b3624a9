import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { LocalWorkspace } from '@synapse/actions'
import { resolveAction } from '@synapse/core'
import { createTestContext } from '@synapse/core/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InferClassifier, InferParams } from '../src/infer'
import { decodePng } from '../src/png'
import { TrainClassifier, TrainParams } from '../src/train'

const shapes = join(import.meta.dirname, '..', 'data', 'shapes')
let dir: string
let ws: LocalWorkspace

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'train-classifier-'))
  ws = new LocalWorkspace(join(dir, 'ws'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('train → infer in process', () => {
  it('trains on the shipped COCO boxes (converted to YOLO), loss falls, and infer loads the stored model', async () => {
    const dataset = await ws.addDataset(shapes, { format: 'coco' })
    const t = createTestContext({ env: { SYNAPSE_WORKSPACE: ws.root } })
    const result = (await resolveAction(TrainClassifier).run(
      TrainParams.parse({ dataset: dataset.id, hyperparameters: [{ epochs: 6 }] }),
      t.ctx,
    )) as { firstLoss: number; finalLoss: number; epochs: number; model: { id: string } }
    expect(result.epochs).toBe(6)
    expect(result.finalLoss).toBeLessThan(result.firstLoss)
    const losses = t.metrics('train').map((m) => m['loss'] as number)
    expect(losses).toHaveLength(6)
    expect(losses.at(-1)).toBeLessThan(losses[0]!)
    expect(TrainClassifier.result.safeParse(result).success).toBe(true)

    const model = await ws.getModel(result.model.id)
    expect(model.files.map((f) => f.path)).toEqual(['model.json', 'weights.bin'])

    // The val images' first boxes, from the shipped COCO file, named by the model.
    const coco = JSON.parse(
      readFileSync(join(shapes, 'annotations', 'instances_val.json'), 'utf8'),
    ) as {
      annotations: { image_id: number; bbox: number[]; category_id: number }[]
      images: { id: number; file_name: string }[]
      categories: { id: number; name: string }[]
    }
    const { annotations, images, categories } = coco
    const picks = annotations.slice(0, 12)
    const requests = picks.map((a) => ({
      image: join(shapes, 'images', 'val', images.find((i) => i.id === a.image_id)!.file_name),
      box: a.bbox as [number, number, number, number],
    }))
    const inferred = (await resolveAction(InferClassifier).run(
      InferParams.parse({ model: model.id, images: requests, batchSize: 5 }),
      createTestContext({ env: { SYNAPSE_WORKSPACE: ws.root } }).ctx,
    )) as { predictions: { label: string }[]; processedCount: number }
    expect(inferred.processedCount).toBe(12)
    const truth = picks.map((a) => categories.find((c) => c.id === a.category_id)!.name)
    const right = inferred.predictions.filter((p, i) => p.label === truth[i]).length
    // Three classes: chance is 4 of 12.
    expect(right).toBeGreaterThanOrEqual(9)
  })
})

describe('decodePng', () => {
  /** A 3×2 grey PNG whose rows use `filters` (0 none, 1 sub, 2 up, 3 average, 4 Paeth). */
  function png(rows: number[][], filters: number[]): Buffer {
    const width = rows[0]!.length
    const raw: number[] = []
    rows.forEach((row, y) => {
      const f = filters[y]!
      raw.push(f)
      row.forEach((v, x) => {
        const a = x > 0 ? row[x - 1]! : 0
        const b = y > 0 ? rows[y - 1]![x]! : 0
        const c = x > 0 && y > 0 ? rows[y - 1]![x - 1]! : 0
        const p = a + b - c
        const paeth =
          Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
            ? a
            : Math.abs(p - b) <= Math.abs(p - c)
              ? b
              : c
        const pred = [0, a, b, (a + b) >> 1, paeth][f]!
        raw.push((v - pred + 256) % 256)
      })
    })
    const chunk = (type: string, data: Buffer) => {
      const len = Buffer.alloc(4)
      len.writeUInt32BE(data.length)
      // The decoder does not check CRCs; zeros keep the fixture short.
      return Buffer.concat([len, Buffer.from(type, 'ascii'), data, Buffer.alloc(4)])
    }
    const ihdr = Buffer.alloc(13)
    ihdr.writeUInt32BE(width, 0)
    ihdr.writeUInt32BE(rows.length, 4)
    ihdr[8] = 8
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(Buffer.from(raw))),
      chunk('IEND', Buffer.alloc(0)),
    ])
  }

  it.each([[0], [1], [2], [3], [4]])('reads rows written with filter %i', (filter) => {
    const rows = [
      [10, 200, 30],
      [250, 5, 128],
      [7, 7, 255],
    ]
    const image = decodePng(png(rows, [filter, filter, filter]), 'x.png')
    expect([...image.pixels]).toEqual(rows.flat())
  })

  it('refuses what it does not read, naming the file', () => {
    expect(() => decodePng(Buffer.from('GIF89a....'), 'a.gif')).toThrow(/a\.gif: not a PNG/)
  })
})
