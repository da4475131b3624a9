import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { convert, dmV1ToV2, dmV2ToV1 } from '../src/index'
import { pngStub, tempDir, writeText } from './helpers'

// The v1 example of the DM spec (synapse-sdk-inventory §9).
const V1 = {
  annotations: {
    image_1: [
      {
        id: 'Qx7bT2mLp0',
        tool: 'bounding_box',
        isLocked: false,
        isVisible: true,
        isValid: true,
        isDrawCompleted: true,
        classification: { class: 'truck', occlusion: 'partial' },
        label: ['truck', 'partial'],
      },
    ],
  },
  annotationsData: {
    image_1: [
      { id: 'Qx7bT2mLp0', coordinate: { x: 120, y: 64, width: 310, height: 150, rotation: 0.25 } },
    ],
  },
  extra: {},
  relations: {},
  annotationGroups: {},
  assignmentId: 4242,
}

/** A DM v2 file listing `listed` as its classes and holding one box per name of `used`. */
const boxesDoc = (listed: string[], used: string[]) => ({
  classification: { bounding_box: listed },
  images: [
    {
      bounding_box: used.map((c, i) => ({
        id: `b${i}`,
        classification: c,
        attrs: [],
        data: [i, i, 2, 2],
      })),
    },
  ],
})

describe('DM', () => {
  test('v1 → v2: rotation first, then classification keys in order; meta flags dropped', () => {
    const v2 = dmV1ToV2(V1, new Map())
    expect(v2.images[0]).toEqual({
      bounding_box: [
        {
          id: 'Qx7bT2mLp0',
          classification: 'truck',
          attrs: [
            { name: 'rotation', value: 0.25 },
            { name: 'occlusion', value: 'partial' },
          ],
          data: [120, 64, 310, 150],
        },
      ],
    })
    const { v1 } = dmV2ToV1(v2)
    expect(v1.annotationsData?.['image_1']).toEqual(V1.annotationsData.image_1)
    expect(v1.annotations['image_1']?.[0]?.classification).toEqual({
      class: 'truck',
      occlusion: 'partial',
    })
  })

  test('a rotated DM box becomes an OBB and comes back as the same box', async () => {
    const dir = tempDir()
    writeText(join(dir, 'in', 'json', 'img.json'), JSON.stringify(V1))
    writeText(join(dir, 'in', 'original_files', 'img.png'), pngStub(640, 480))
    const r = await convert({
      from: 'dm_v1',
      to: 'yolo',
      input: join(dir, 'in'),
      output: join(dir, 'y'),
    })
    expect(r.task).toBe('obb')
    const back = await convert({
      from: 'yolo',
      to: 'dm_v2',
      input: join(dir, 'y'),
      output: join(dir, 'dm'),
    })
    expect(back.report.losses).toEqual([])
    const v2 = JSON.parse(readFileSync(join(dir, 'dm', 'json', 'img.json'), 'utf8'))
    const box = v2.images[0].bounding_box[0]
    expect(box.attrs[0].name).toBe('rotation')
    expect(box.attrs[0].value).toBeCloseTo(0.25, 5)
    box.data.forEach((v: number, i: number) => {
      expect(v).toBeCloseTo([120, 64, 310, 150][i]!, 3)
    })
  })

  test('class order: every classification list first (file order), then names met only on items', async () => {
    const dir = tempDir()
    // 'zebra' is met on an item of the first file before the second file lists it.
    writeText(
      join(dir, 'in', 'json', 'a.json'),
      JSON.stringify(boxesDoc(['cat'], ['zebra', 'cat', 'owl'])),
    )
    writeText(
      join(dir, 'in', 'json', 'b.json'),
      JSON.stringify(boxesDoc(['dog', 'zebra'], ['dog'])),
    )
    for (const n of ['a', 'b'])
      writeText(join(dir, 'in', 'original_files', `${n}.png`), pngStub(9, 9))
    await convert({ from: 'dm', to: 'coco', input: join(dir, 'in'), output: join(dir, 'coco') })
    const coco = JSON.parse(
      readFileSync(join(dir, 'coco', 'annotations', 'instances.json'), 'utf8'),
    )
    expect(coco.categories.map((c: { id: number; name: string }) => [c.id, c.name])).toEqual([
      [1, 'cat'],
      [2, 'dog'],
      [3, 'zebra'],
      [4, 'owl'],
    ])
    const nameOf = new Map(coco.categories.map((c: { id: number; name: string }) => [c.id, c.name]))
    expect(coco.annotations.map((a: { category_id: number }) => nameOf.get(a.category_id))).toEqual(
      ['zebra', 'cat', 'owl', 'dog'],
    )
  })

  test('class order across splits: each split adds its listed names, then its item-only names', async () => {
    const dir = tempDir()
    writeText(
      join(dir, 'in', 'train', 'json', 'a.json'),
      JSON.stringify(boxesDoc(['cat'], ['owl'])),
    )
    writeText(
      join(dir, 'in', 'valid', 'json', 'b.json'),
      JSON.stringify(boxesDoc(['dog'], ['dog'])),
    )
    for (const [split, n] of [
      ['train', 'a'],
      ['valid', 'b'],
    ] as const)
      writeText(join(dir, 'in', split, 'original_files', `${n}.png`), pngStub(9, 9))
    const out = join(dir, 'coco')
    await convert({ from: 'dm', to: 'coco', input: join(dir, 'in'), output: out })
    const coco = JSON.parse(readFileSync(join(out, 'annotations', 'instances_train.json'), 'utf8'))
    expect(coco.categories.map((c: { name: string }) => c.name)).toEqual(['cat', 'owl', 'dog'])
    expect(coco.annotations[0].category_id).toBe(2)
  })

  test('categorized layout, relations and groups survive DM → DM; other formats report them', async () => {
    const dir = tempDir()
    const v2 = {
      classification: { bounding_box: ['a', 'b'] },
      images: [
        {
          bounding_box: [
            {
              id: 'x1',
              classification: 'a',
              attrs: [{ name: 'color', value: 'red' }],
              data: [1, 2, 3, 4],
            },
            { id: 'x2', classification: 'b', attrs: [], data: [5, 6, 7, 8] },
          ],
          relation: [{ id: 'r1', classification: 'near', attrs: [], data: ['x1', 'x2'] }],
          group: [{ id: 'g1', classification: 'pair', attrs: [], data: ['x1', 'x2'] }],
        },
      ],
    }
    for (const split of ['train', 'valid']) {
      writeText(join(dir, 'in', split, 'json', `${split}_1.json`), JSON.stringify(v2))
      writeText(join(dir, 'in', split, 'original_files', `${split}_1.png`), pngStub(50, 50))
    }
    const same = await convert({
      from: 'dm',
      to: 'dm',
      input: join(dir, 'in'),
      output: join(dir, 'out'),
    })
    expect(same.report.losses).toEqual([])
    expect(
      JSON.parse(readFileSync(join(dir, 'out', 'valid', 'json', 'valid_1.json'), 'utf8')),
    ).toEqual(v2)
    const coco = await convert({
      from: 'dm',
      to: 'coco',
      input: join(dir, 'in'),
      output: join(dir, 'coco'),
    })
    expect(
      coco.report.losses.filter((l) => l.subject.startsWith('DM')).map((l) => [l.subject, l.count]),
    ).toEqual([['DM relation/group', 4]])
    const doc = JSON.parse(
      readFileSync(join(dir, 'coco', 'annotations', 'instances_valid.json'), 'utf8'),
    )
    expect(doc.annotations[0].attributes).toEqual({ color: 'red' })
  })

  test('COCO keypoints travel through DM as keypoint items hanging on their box', async () => {
    const dir = tempDir()
    const coco = {
      images: [{ id: 1, file_name: 'p.png', width: 100, height: 100 }],
      annotations: [
        {
          id: 4,
          image_id: 1,
          category_id: 1,
          bbox: [10, 10, 50, 80],
          area: 4000,
          iscrowd: 0,
          segmentation: [],
          keypoints: [20, 20, 2, 0, 0, 0, 30, 40, 1],
          num_keypoints: 2,
        },
      ],
      categories: [
        { id: 1, name: 'person', keypoints: ['nose', 'eye', 'ear'], skeleton: [[1, 2]] },
      ],
    }
    writeText(join(dir, 'c.json'), JSON.stringify(coco))
    const there = await convert({
      from: 'coco',
      to: 'dm_v2',
      input: join(dir, 'c.json'),
      output: join(dir, 'dm'),
      images: 'none',
    })
    expect(there.report.losses.map((l) => l.subject)).toContain('keypoint names/skeleton')
    expect(there.report.warnings).toEqual([])
    await convert({ from: 'dm', to: 'coco', input: join(dir, 'dm'), output: join(dir, 'back') })
    const back = JSON.parse(
      readFileSync(join(dir, 'back', 'annotations', 'instances.json'), 'utf8'),
    )
    expect(back.annotations[0]).toMatchObject({
      id: 4,
      bbox: [10, 10, 50, 80],
      keypoints: [20, 20, 2, 0, 0, 0, 30, 40, 1],
      num_keypoints: 2,
    })
  })
})

describe('VOC', () => {
  const xml = (size: string, box: string) =>
    `<annotation><filename>a.png</filename>${size}<object><name>cat</name><difficult>1</difficult><occluded>1</occluded><bndbox>${box}</bndbox></object></annotation>`

  test('float coordinates, the origin option, difficult/occluded as attributes', async () => {
    const dir = tempDir()
    writeText(
      join(dir, 'in', 'Annotations', 'a.xml'),
      xml(
        '<size><width>20</width><height>10</height></size>',
        '<xmin>1</xmin><ymin>45.70000076293945</ymin><xmax>10.5</xmax><ymax>50</ymax>',
      ),
    )
    for (const vocOrigin of [0, 1] as const) {
      await convert({
        from: 'voc',
        to: 'coco',
        input: join(dir, 'in'),
        output: join(dir, `c${vocOrigin}`),
        vocOrigin,
      })
      const doc = JSON.parse(
        readFileSync(join(dir, `c${vocOrigin}`, 'annotations', 'instances.json'), 'utf8'),
      )
      const y = 45.70000076293945 - vocOrigin
      expect(doc.annotations[0].bbox).toEqual([1 - vocOrigin, y, 10.5 - (1 - vocOrigin), 50 - y])
      expect(doc.annotations[0].attributes).toEqual({ difficult: 1, occluded: 1 })
      await convert({
        from: 'coco',
        to: 'voc',
        input: join(dir, `c${vocOrigin}`),
        output: join(dir, `v${vocOrigin}`),
        vocOrigin,
      })
      const text = readFileSync(join(dir, `v${vocOrigin}`, 'Annotations', 'a.xml'), 'utf8')
      expect(text).toContain('<ymin>45.70000076293945</ymin>')
      expect(text).toContain('<xmax>10.5</xmax>')
      expect(text).toContain('<difficult>1</difficult>')
      expect(text).toContain('<occluded>1</occluded>')
    }
  })

  test('a missing or wrong <size> is taken from the image header, disagreements reported', async () => {
    const dir = tempDir()
    writeText(
      join(dir, 'in', 'Annotations', 'a.xml'),
      xml(
        '<size><width>0</width><height>0</height></size>',
        '<xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax>',
      ),
    )
    writeText(
      join(dir, 'in', 'Annotations', 'b.xml'),
      xml(
        '<size><width>30</width><height>30</height></size>',
        '<xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax>',
      ).replace('a.png', 'b.png'),
    )
    writeText(join(dir, 'in', 'JPEGImages', 'a.png'), pngStub(64, 32))
    writeText(join(dir, 'in', 'JPEGImages', 'b.png'), pngStub(16, 8))
    const r = await convert({
      from: 'voc',
      to: 'coco',
      input: join(dir, 'in'),
      output: join(dir, 'c'),
    })
    const doc = JSON.parse(readFileSync(join(dir, 'c', 'annotations', 'instances.json'), 'utf8'))
    expect(doc.images.map((i: { width: number; height: number }) => [i.width, i.height])).toEqual([
      [64, 32],
      [16, 8],
    ])
    expect(r.report.warnings.map((w) => [w.code, w.count])).toEqual([['SIZE_MISMATCH', 1]])
  })

  test('schema errors point at the line of the element', async () => {
    const dir = tempDir()
    writeText(
      join(dir, 'in', 'Annotations', 'a.xml'),
      '<annotation>\n<object>\n<name>x</name>\n<bndbox>\n<xmin>abc</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></object></annotation>',
    )
    await expect(
      convert({ from: 'voc', to: 'coco', input: join(dir, 'in'), output: join(dir, 'c') }),
    ).rejects.toMatchObject({
      code: 'DATASET_SCHEMA_ERROR',
      line: 5,
    })
  })
})

test('a 0-based COCO skeleton is kept and reported', async () => {
  const dir = tempDir()
  const coco = {
    images: [{ id: 1, file_name: 'p.png', width: 10, height: 10 }],
    annotations: [],
    categories: [{ id: 1, name: 'person', keypoints: ['a', 'b'], skeleton: [[0, 1]] }],
  }
  writeText(join(dir, 'c.json'), JSON.stringify(coco))
  const r = await convert({
    from: 'coco',
    to: 'coco',
    input: join(dir, 'c.json'),
    output: join(dir, 'o'),
    images: 'none',
  })
  expect(r.report.warnings.map((w) => w.code)).toEqual(['SKELETON_ZERO_BASED'])
  const out = JSON.parse(readFileSync(join(dir, 'o', 'annotations', 'instances.json'), 'utf8'))
  expect(out.categories[0].skeleton).toEqual([[0, 1]])
})
