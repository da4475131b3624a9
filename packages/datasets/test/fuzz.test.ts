import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { convert, DatasetError, type DatasetFormatName, datasetStats } from '../src/index'
import { pngStub, tempDir, writeText } from './helpers'

/** Runs a read (both error policies); anything thrown must be a DatasetError. */
async function onlyTypedErrors(from: DatasetFormatName, input: string): Promise<void> {
  for (const onError of ['skip', 'fail'] as const) {
    try {
      const { report } = await datasetStats({ from, input, onError })
      for (const e of report.skipped.errors) expect(e.name).toBe('DatasetError')
    } catch (error) {
      if (!(error instanceof DatasetError)) throw error
      expect(error.code).toMatch(/^DATASET_/)
      expect(error.details['file']).toBeTypeOf('string')
    }
  }
}

/** Text mutations: truncate, flip a character, insert junk, delete a span. */
const mutate = (text: string) =>
  fc.oneof(
    fc.nat(text.length).map((n) => text.slice(0, n)),
    fc
      .tuple(fc.nat(Math.max(0, text.length - 1)), fc.string({ minLength: 1, maxLength: 3 }))
      .map(([i, s]) => text.slice(0, i) + s + text.slice(i + 1)),
    fc
      .tuple(
        fc.nat(text.length),
        fc.constantFrom(
          '{',
          '}',
          '[',
          ']',
          '"',
          ',',
          ':',
          '<',
          '>',
          '/',
          '&',
          '\n',
          '\u0000',
          '-1',
          'NaN',
          '1e999',
        ),
      )
      .map(([i, s]) => text.slice(0, i) + s + text.slice(i)),
    fc.tuple(fc.nat(text.length), fc.nat(20)).map(([i, n]) => text.slice(0, i) + text.slice(i + n)),
  )

/** Structural mutation of a JSON document: one value somewhere replaced by any JSON value. */
function replaceAt(doc: unknown, path: number[], value: unknown): unknown {
  if (path.length === 0 || typeof doc !== 'object' || doc === null) return value
  const keys = Object.keys(doc)
  if (keys.length === 0) return value
  const key = keys[path[0]! % keys.length]!
  const copy: Record<string, unknown> = Array.isArray(doc)
    ? ([...doc] as unknown as Record<string, unknown>)
    : { ...doc }
  copy[key] = replaceAt((doc as Record<string, unknown>)[key], path.slice(1), value)
  return copy
}
const structural = (doc: unknown) =>
  fc
    .tuple(fc.array(fc.nat(), { maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }))
    .map(([p, v]) => JSON.stringify(replaceAt(doc, p, v)))

const COCO = {
  info: { year: 2017 },
  images: [{ id: 1, file_name: 'a.png', width: 20, height: 10 }],
  annotations: [
    {
      id: 1,
      image_id: 1,
      category_id: 3,
      bbox: [1, 1, 5, 5],
      area: 25,
      iscrowd: 0,
      segmentation: [[1, 1, 6, 1, 6, 6]],
    },
    {
      id: 2,
      image_id: 1,
      category_id: 3,
      bbox: [0, 0, 1, 1],
      area: 1,
      iscrowd: 1,
      segmentation: { size: [10, 20], counts: '0150' },
    },
    {
      id: 3,
      image_id: 1,
      category_id: 3,
      keypoints: [1, 2, 2, 0, 0, 0],
      num_keypoints: 1,
      bbox: [1, 2, 0, 0],
    },
  ],
  categories: [{ id: 3, name: 'x', keypoints: ['a', 'b'], skeleton: [[1, 2]] }],
}
const DM_V2 = {
  classification: { bounding_box: ['a'], polygon: ['a'] },
  images: [
    {
      bounding_box: [
        {
          id: 'b1',
          classification: 'a',
          attrs: [{ name: 'rotation', value: 0.5 }],
          data: [1, 2, 3, 4],
        },
      ],
      polygon: [
        {
          id: 'p1',
          classification: 'a',
          attrs: [],
          data: [
            [0, 0],
            [1, 0],
            [1, 1],
          ],
        },
      ],
      keypoint: [
        {
          id: 'k1',
          classification: 'a',
          attrs: [
            { name: '_parent', value: 'b1' },
            { name: '_index', value: 0 },
          ],
          data: [1, 1],
        },
      ],
      segmentation: [
        {
          id: 's1',
          classification: 'a',
          attrs: [{ name: '_size', value: [10, 20] }],
          data: [0, 5, 199],
        },
      ],
      relation: [{ id: 'r1', classification: 'rel', attrs: [], data: ['b1', 'p1'] }],
    },
  ],
}
const DM_V1 = {
  annotations: {
    image_1: [
      {
        id: 'Qx7bT2mLp0',
        tool: 'bounding_box',
        isLocked: false,
        classification: { class: 'truck', occlusion: 'partial' },
      },
      { id: 'P0', tool: 'polygon', classification: { class: 'road' } },
    ],
  },
  annotationsData: {
    image_1: [
      { id: 'Qx7bT2mLp0', coordinate: { x: 1, y: 2, width: 3, height: 4, rotation: 0.25 } },
      {
        id: 'P0',
        coordinate: [
          { x: 0, y: 0, id: 'a' },
          { x: 1, y: 0, id: 'b' },
          { x: 1, y: 1, id: 'c' },
        ],
      },
    ],
  },
  relations: {},
  annotationGroups: {},
}
const VOC = `<?xml version="1.0"?>
<annotation><folder>VOC</folder><filename>a.png</filename><size><width>20</width><height>10</height><depth>3</depth></size>
<segmented>0</segmented><object><name>cat</name><pose>Left</pose><truncated>1</truncated><difficult>0</difficult>
<bndbox><xmin>1.5</xmin><ymin>2</ymin><xmax>10</xmax><ymax>9</ymax></bndbox>
<attributes><attribute><name>color</name><value>red &amp; blue</value></attribute></attributes></object></annotation>
`
const RUNS = { numRuns: 80 }

describe('fuzz: malformed input yields typed errors only', () => {
  test('COCO', async () => {
    const text = JSON.stringify(COCO, null, 1)
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutate(text), structural(COCO)), async (bad) => {
        const dir = tempDir()
        await onlyTypedErrors('coco', writeText(join(dir, 'c.json'), bad))
      }),
      RUNS,
    )
  })

  test('DM v2 and v1', async () => {
    for (const doc of [DM_V2, DM_V1]) {
      const text = JSON.stringify(doc, null, 1)
      await fc.assert(
        fc.asyncProperty(fc.oneof(mutate(text), structural(doc)), async (bad) => {
          const dir = tempDir()
          writeText(join(dir, 'json', 'a.json'), bad)
          writeText(join(dir, 'original_files', 'a.png'), pngStub(20, 10))
          await onlyTypedErrors('dm_v2', dir)
        }),
        RUNS,
      )
    }
  })

  test('VOC', async () => {
    await fc.assert(
      fc.asyncProperty(mutate(VOC), async (bad) => {
        const dir = tempDir()
        writeText(join(dir, 'Annotations', 'a.xml'), bad)
        await onlyTypedErrors('voc', dir)
      }),
      RUNS,
    )
  })

  test('YOLO labels and data.yaml', async () => {
    const yaml = 'train: images\nval: images\nnames:\n  0: a\n  1: b\nkpt_shape: [2, 3]\n'
    const label = '0 0.5 0.5 0.2 0.2 0.1 0.1 2 0.3 0.3 1\n1 0.1 0.1 0.1 0.1 0 0 0 0 0 0\n'
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          mutate(yaml).map((y) => [y, label]),
          mutate(label).map((l) => [yaml, l]),
        ),
        async ([y, l]) => {
          const dir = tempDir()
          writeText(join(dir, 'data.yaml'), y!)
          writeText(join(dir, 'labels', 'a.txt'), l!)
          writeText(join(dir, 'images', 'a.png'), pngStub(20, 10))
          await onlyTypedErrors('yolo', dir)
        },
      ),
      RUNS,
    )
  })

  test('a conversion of bad input never leaves output behind', async () => {
    const dir = tempDir()
    writeText(join(dir, 'c.json'), '{"images": [')
    const out = join(dir, 'out')
    await expect(
      convert({ from: 'coco', to: 'yolo', input: join(dir, 'c.json'), output: out }),
    ).rejects.toBeInstanceOf(DatasetError)
    const { readdirSync } = await import('node:fs')
    expect(readdirSync(dir)).toEqual(['c.json'])
  })
})
