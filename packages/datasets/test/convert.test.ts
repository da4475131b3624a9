import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import {
  convert,
  DatasetError,
  datasetStats,
  formatDatasetStats,
  formatLossReport,
  validateDataset,
} from '../src/index'
import { pngStub, tempDir, writeText } from './helpers'
import { gridToRle, insideRing, maskGrid } from './masks'

const COCO = {
  images: [
    { id: 1, file_name: 'a.png', width: 100, height: 50 },
    { id: 2, file_name: 'b.png', width: 100, height: 50 },
  ],
  annotations: [
    {
      id: 5,
      image_id: 1,
      category_id: 3,
      bbox: [10, 10, 20, 20],
      area: 400,
      iscrowd: 0,
      segmentation: [[10, 10, 30, 10, 30, 30]],
    },
    {
      id: 6,
      image_id: 2,
      category_id: 9,
      bbox: [90, 40, 20, 20],
      area: 400,
      iscrowd: 0,
      segmentation: [],
    },
  ],
  categories: [
    { id: 3, name: 'cat' },
    { id: 9, name: 'dog' },
  ],
}

function cocoInput(doc: unknown = COCO): { dir: string; input: string } {
  const dir = tempDir()
  const input = join(dir, 'in')
  writeText(join(input, 'annotations', 'instances_train.json'), JSON.stringify(doc))
  writeText(join(input, 'images', 'train', 'a.png'), pngStub(100, 50))
  writeText(join(input, 'images', 'train', 'b.png'), pngStub(100, 50))
  return { dir, input }
}

describe('convert', () => {
  test('strict fails on any loss and leaves nothing behind', async () => {
    const { dir, input } = cocoInput()
    const output = join(dir, 'out')
    const error = await convert({ from: 'coco', to: 'voc', input, output, strict: true }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(DatasetError)
    expect((error as DatasetError).code).toBe('DATASET_LOSS_STRICT')
    expect((error as DatasetError).message).toMatch(/polygon/)
    expect(readdirSync(dir)).toEqual(['in'])
    // A lossless pair passes under strict.
    await convert({ from: 'coco', to: 'coco', input, output, strict: true })
    expect(existsSync(join(output, 'annotations', 'instances_train.json'))).toBe(true)
  })

  test('an existing output is refused unless overwrite, then replaced whole', async () => {
    const { dir, input } = cocoInput()
    const output = join(dir, 'out')
    writeText(join(output, 'stale.txt'), 'old')
    await expect(convert({ from: 'coco', to: 'yolo', input, output })).rejects.toMatchObject({
      code: 'DATASET_IO_ERROR',
    })
    await convert({ from: 'coco', to: 'yolo', input, output, overwrite: true })
    expect(existsSync(join(output, 'stale.txt'))).toBe(false)
    expect(existsSync(join(output, 'data.yaml'))).toBe(true)
    expect(readdirSync(dir).sort()).toEqual(['in', 'out'])
  })

  test('images are linked into the target layout', async () => {
    const { dir, input } = cocoInput()
    await convert({ from: 'coco', to: 'yolo', input, output: join(dir, 'y') })
    expect(readFileSync(join(dir, 'y', 'images', 'train', 'a.png'))).toEqual(pngStub(100, 50))
    await convert({ from: 'coco', to: 'dm_v2', input, output: join(dir, 'dm') })
    expect(existsSync(join(dir, 'dm', 'train', 'original_files', 'b.png'))).toBe(true)
    await convert({ from: 'coco', to: 'voc', input, output: join(dir, 'voc'), images: 'copy' })
    expect(existsSync(join(dir, 'voc', 'JPEGImages', 'b.png'))).toBe(true)
  })

  test('onError skip converts the good items and counts the bad ones', async () => {
    const bad = structuredClone(COCO) as { annotations: Record<string, unknown>[] }
    bad.annotations.push({ id: 7, image_id: 99, category_id: 3, bbox: [0, 0, 1, 1] })
    bad.annotations.push({ id: 8, image_id: 1, category_id: 3, bbox: 'wide' })
    const { dir, input } = cocoInput(bad)
    await expect(
      convert({ from: 'coco', to: 'coco', input, output: join(dir, 'o1') }),
    ).rejects.toMatchObject({
      code: 'DATASET_REFERENCE_ERROR',
      jsonPath: '$.annotations[2].image_id',
    })
    const r = await convert({
      from: 'coco',
      to: 'coco',
      input,
      output: join(dir, 'o2'),
      onError: 'skip',
    })
    expect(r.report.skipped.count).toBe(2)
    expect(r.report.skipped.byCode).toEqual({ DATASET_REFERENCE_ERROR: 1, DATASET_SCHEMA_ERROR: 1 })
    expect(r.report.skipped.errors[1]?.details?.['jsonPath']).toBe('$.annotations[3].bbox')
    expect(formatLossReport(r.report)).toMatch(/skipped 2 bad items/)
  })

  test('classes fixes the order and drops (loudly) classes not listed', async () => {
    const { dir, input } = cocoInput()
    const r = await convert({
      from: 'coco',
      to: 'yolo',
      input,
      output: join(dir, 'y'),
      classes: ['dog', 'bird'],
      task: 'detect',
    })
    const yaml = readFileSync(join(dir, 'y', 'data.yaml'), 'utf8')
    expect(yaml).toMatch(/0: dog\n\s+1: bird/)
    expect(yaml).toMatch(/category_ids:\s*\n\s*- 9\n\s*- 10/)
    expect(readFileSync(join(dir, 'y', 'labels', 'train', 'b.txt'), 'utf8')).toMatch(/^0 /)
    expect(readFileSync(join(dir, 'y', 'labels', 'train', 'a.txt'), 'utf8')).toBe('')
    expect(r.report.losses.find((l) => l.subject === 'annotation')?.count).toBe(1)
  })

  test('progress is reported and an abort stops the run without output', async () => {
    const { dir, input } = cocoInput()
    const phases: string[] = []
    await convert({
      from: 'coco',
      to: 'voc',
      input,
      output: join(dir, 'v'),
      onProgress: (_d, _t, p) => phases.push(p),
    })
    expect(phases).toContain('read')
    const ac = new AbortController()
    ac.abort()
    await expect(
      convert({ from: 'coco', to: 'voc', input, output: join(dir, 'w'), signal: ac.signal }),
    ).rejects.toThrow()
    expect(existsSync(join(dir, 'w'))).toBe(false)
  })

  test('the streaming COCO → YOLO path writes what the in-memory path writes', async () => {
    const doc = structuredClone(COCO) as typeof COCO & { annotations: Record<string, unknown>[] }
    // Categories last, as COCO itself orders them: the streaming reader needs its second pass.
    const { dir, input } = cocoInput({
      images: doc.images,
      annotations: doc.annotations,
      categories: doc.categories,
    })
    const file = join(input, 'annotations', 'instances_train.json')
    const a = await convert({
      from: 'coco',
      to: 'yolo',
      input: file,
      output: join(dir, 'mem'),
      task: 'segment',
      images: 'none',
    })
    const b = await convert({
      from: 'coco',
      to: 'yolo',
      input: file,
      output: join(dir, 'str'),
      task: 'segment',
      streaming: 'always',
    })
    expect(b.streamed).toBe(true)
    for (const f of ['data.yaml', 'labels/a.txt', 'labels/b.txt']) {
      expect(readFileSync(join(dir, 'str', f), 'utf8')).toBe(
        readFileSync(join(dir, 'mem', f), 'utf8'),
      )
    }
    expect(b.report.read).toEqual(a.report.read)
    expect(b.report.losses.map((l) => [l.subject, l.count])).toEqual(
      a.report.losses.map((l) => [l.subject, l.count]),
    )
  })

  test('unknown formats are an option error', async () => {
    await expect(
      convert({ from: 'labelme' as 'coco', to: 'yolo', input: '.', output: 'x' }),
    ).rejects.toMatchObject({
      code: 'DATASET_OPTION_ERROR',
    })
  })
})

describe('validateDataset and datasetStats', () => {
  test('referential checks: boxes outside the image, zero-area boxes, missing images', async () => {
    const doc = structuredClone(COCO) as typeof COCO & {
      annotations: Record<string, unknown>[]
      images: Record<string, unknown>[]
    }
    doc.annotations.push({
      id: 7,
      image_id: 1,
      category_id: 3,
      bbox: [5, 5, 0, 0],
      area: 0,
      iscrowd: 0,
      segmentation: [],
    })
    doc.images.push({ id: 3, file_name: 'missing.png', width: 10, height: 10 })
    const { input } = cocoInput(doc)
    const { ok, report } = await validateDataset({ from: 'coco', input })
    expect(ok).toBe(false)
    const codes = Object.fromEntries(report.warnings.map((w) => [w.code, w.count]))
    expect(codes).toEqual({ BOX_OUTSIDE_IMAGE: 1, ZERO_AREA_BOX: 1 })
    expect(report.missingImages.examples).toEqual(['missing.png'])
    const clean = await validateDataset({ from: 'coco', input: cocoInput().input })
    expect(clean.ok).toBe(false) // b.png's box reaches past the border
  })

  test('an RLE mask becomes its traced outline in YOLO segment, and the same pixels come back', async () => {
    // A 2-part mask with a hole, on a 12 × 10 image, as an uncompressed, non-crowd RLE (SAM and
    // CVAT write masks this way).
    const rows = [
      '............',
      '.#####......',
      '.#...#......',
      '.#####...##.',
      '.........##.',
      '............',
      '............',
      '............',
      '............',
      '............',
    ]
    const rle = gridToRle(maskGrid(rows))
    const [h, w] = rle.size
    const pixel = (x: number, y: number): number => (rows[y]![x] === '#' ? 1 : 0)
    const doc = {
      images: [{ id: 1, file_name: 'a.png', width: w, height: h }],
      annotations: [{ id: 1, image_id: 1, category_id: 1, iscrowd: 0, segmentation: rle }],
      categories: [{ id: 1, name: 'blob' }],
    }
    const { dir, input } = cocoInput(doc)
    writeText(join(input, 'images', 'train', 'a.png'), pngStub(w, h))
    const yolo = await convert({ from: 'coco', to: 'yolo', input, output: join(dir, 'yolo') })
    expect(yolo.task).toBe('segment')
    const losses = yolo.report.losses.map((l) => [l.kind, l.subject, l.count])
    expect(losses).toContainEqual(['approximated', 'RLE mask', 1])
    expect(losses).toContainEqual(['approximated', 'mask hole', 1])
    const lines = readFileSync(join(dir, 'yolo', 'labels', 'train', 'a.txt'), 'utf8')
      .trim()
      .split('\n')
    expect(lines).toHaveLength(2)
    const back = await convert({
      from: 'yolo',
      to: 'coco',
      input: join(dir, 'yolo'),
      output: join(dir, 'coco'),
    })
    expect(back.report.read.annotations).toBe(2)
    const coco = JSON.parse(
      readFileSync(join(dir, 'coco', 'annotations', 'instances_train.json'), 'utf8'),
    )
    const rings: number[][] = coco.annotations.map(
      (a: { segmentation: number[][] }) => a.segmentation[0],
    )
    // Every pixel whose centre lies in a ring is a mask pixel, the hole (filled) aside.
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const hole = x >= 2 && x <= 4 && y === 2
        const drawn = rings.some((r) => insideRing(r, x + 0.5, y + 0.5)) ? 1 : 0
        expect(drawn).toBe(hole ? 1 : pixel(x, y))
      }
    }
  })

  test('stats per split, class and kind', async () => {
    const { input } = cocoInput()
    const { stats } = await datasetStats({ from: 'coco', input })
    expect(stats.splits).toEqual({ train: { images: 2, annotations: 2, background: 0 } })
    expect(stats.classes.map((c) => [c.name, c.annotations, c.images])).toEqual([
      ['cat', 1, 1],
      ['dog', 1, 1],
    ])
    expect(stats.kinds).toMatchObject({ bbox: 2, polygon: 1, rle: 0 })
    expect(formatDatasetStats(stats)).toMatch(/2 images, 2 annotations, 2 categories/)
  })
})

describe('syntax errors name the place', () => {
  test.each([
    ['{\n  "images": [\n    {"id": 1,, "file_name": "a.png"}\n  ]\n}', 3, 'invalid JSON'],
    ['{\n  "images": [\n', 3, 'invalid JSON'],
  ])('COCO %#', async (text, line, message) => {
    const dir = tempDir()
    writeText(join(dir, 'c.json'), text)
    const error = await convert({
      from: 'coco',
      to: 'yolo',
      input: join(dir, 'c.json'),
      output: join(dir, 'o'),
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DatasetError)
    expect((error as DatasetError).code).toBe('DATASET_PARSE_ERROR')
    expect((error as DatasetError).line).toBe(line)
    expect((error as DatasetError).column).toBeGreaterThan(0)
    expect((error as DatasetError).message).toContain(message)
  })

  test('YAML', async () => {
    const dir = tempDir()
    writeText(join(dir, 'y', 'data.yaml'), 'train: images\nnames: [a, b\nval: images\n')
    const error = await convert({
      from: 'yolo',
      to: 'coco',
      input: join(dir, 'y'),
      output: join(dir, 'o'),
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DatasetError)
    expect((error as DatasetError).code).toBe('DATASET_PARSE_ERROR')
    expect((error as DatasetError).line).toBeGreaterThanOrEqual(2)
  })

  test('DM schema errors carry the JSON path', async () => {
    const dir = tempDir()
    writeText(
      join(dir, 'dm', 'json', 'a.json'),
      JSON.stringify({
        images: [
          { bounding_box: [{ id: 'b1', classification: 'x', attrs: [], data: [1, 2, 'w', 4] }] },
        ],
      }),
    )
    const error = await convert({
      from: 'dm',
      to: 'coco',
      input: join(dir, 'dm'),
      output: join(dir, 'o'),
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DatasetError)
    expect((error as DatasetError).jsonPath).toBe('$.images[0].bounding_box[0].data[2]')
  })
})

test('missing inputs and unwritable outputs are typed I/O errors', async () => {
  const dir = tempDir()
  for (const from of ['coco', 'yolo', 'voc', 'dm'] as const) {
    const error = await convert({
      from,
      to: 'coco',
      input: join(dir, 'nope'),
      output: join(dir, `o-${from}`),
    }).catch((e: unknown) => e)
    expect(error, from).toBeInstanceOf(DatasetError)
  }
  const { input } = cocoInput()
  writeText(join(dir, 'file'), 'x')
  const error = await convert({
    from: 'coco',
    to: 'yolo',
    input,
    output: join(dir, 'file', 'sub'),
  }).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(DatasetError)
  expect((error as DatasetError).code).toBe('DATASET_IO_ERROR')
})
