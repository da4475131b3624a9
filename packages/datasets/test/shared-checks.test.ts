import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { convert, type DatasetReport, validateDataset } from '../src/index'
import { pngStub, tempDir, writeText } from './helpers'

const TARGETS = ['coco', 'yolo', 'voc', 'dm_v2', 'dm_v1'] as const

const warning = (report: DatasetReport, code: string) =>
  report.warnings.find((w) => w.code === code)

/** a.xml: a box past the right edge of its 10×10 <size>; b.xml: no <size> and no image. */
function vocInput(): { root: string; input: string } {
  const root = tempDir()
  const input = join(root, 'in')
  writeText(
    join(input, 'Annotations', 'a.xml'),
    '<annotation><filename>a.jpg</filename><size><width>10</width><height>10</height></size>' +
      '<object><name>cat</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>15</xmax><ymax>5</ymax></bndbox></object>' +
      '<object><name>cat</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>5</xmax><ymax>5</ymax></bndbox></object></annotation>',
  )
  writeText(
    join(input, 'Annotations', 'b.xml'),
    '<annotation><filename>b.jpg</filename><object><name>cat</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>5</xmax><ymax>5</ymax></bndbox></object></annotation>',
  )
  return { root, input }
}

describe('one rule per check, every target and validate', () => {
  test('a box outside its image is BOX_OUTSIDE_IMAGE for validate and every target, named by position', async () => {
    const { root, input } = vocInput()
    const v = await validateDataset({ from: 'voc', input, checkImages: false })
    expect(warning(v.report, 'BOX_OUTSIDE_IMAGE')).toMatchObject({
      count: 1,
      examples: ['a.jpg (object 1)'],
    })
    for (const to of TARGETS) {
      const { report } = await convert({ from: 'voc', to, input, output: join(root, to) })
      expect(warning(report, 'BOX_OUTSIDE_IMAGE'), to).toMatchObject({
        count: 1,
        examples: ['a.jpg (object 1)'],
      })
    }
  })

  test('an image with no size and no image file is SIZE_UNKNOWN for validate and every target that stores sizes', async () => {
    const { root, input } = vocInput()
    const v = await validateDataset({ from: 'voc', input })
    expect(warning(v.report, 'SIZE_UNKNOWN')).toMatchObject({ count: 1, examples: ['b.jpg'] })
    for (const to of ['coco', 'voc', 'yolo'] as const) {
      const { report } = await convert({ from: 'voc', to, input, output: join(root, to) })
      expect(warning(report, 'SIZE_UNKNOWN'), to).toMatchObject({ count: 1, examples: ['b.jpg'] })
    }
    // DM stores no sizes: nothing to warn about.
    const { report } = await convert({ from: 'voc', to: 'dm_v2', input, output: join(root, 'dm') })
    expect(warning(report, 'SIZE_UNKNOWN')).toBeUndefined()
  })

  test('the streamed COCO → YOLO path warns as the in-memory one does', async () => {
    const root = tempDir()
    const input = join(root, 'in.json')
    writeText(
      input,
      JSON.stringify({
        images: [
          { id: 1, file_name: 'a.png', width: 10, height: 10 },
          { id: 2, file_name: 'b.png' },
        ],
        annotations: [{ id: 42, image_id: 1, category_id: 1, bbox: [5, 5, 10, 2], area: 20 }],
        categories: [{ id: 1, name: 'cat' }],
      }),
    )
    let run = 0
    const warnings = async (streaming: 'always' | 'never') => {
      const { report } = await convert({
        from: 'coco',
        to: 'yolo',
        input,
        output: join(root, `${streaming}-${run++}`),
        streaming,
        images: 'none',
      })
      return report.warnings
        .filter((w) => w.code === 'BOX_OUTSIDE_IMAGE' || w.code === 'SIZE_UNKNOWN')
        .map((w) => [w.code, w.count, w.examples])
    }
    expect(await warnings('always')).toEqual(await warnings('never'))
    expect(await warnings('never')).toHaveLength(2)
  })

  test('validate names annotations by id where the format has ids', async () => {
    const root = tempDir()
    const input = join(root, 'in.json')
    writeText(
      input,
      JSON.stringify({
        images: [{ id: 1, file_name: 'a.png', width: 10, height: 10 }],
        annotations: [{ id: 42, image_id: 1, category_id: 1, bbox: [5, 5, 10, 2], area: 20 }],
        categories: [{ id: 1, name: 'cat' }],
      }),
    )
    const v = await validateDataset({ from: 'coco', input, checkImages: false })
    expect(warning(v.report, 'BOX_OUTSIDE_IMAGE')?.examples).toEqual(['a.png#42'])
  })

  test('an input with no images fails the same way for every format, writing nothing', async () => {
    const root = tempDir()
    const empty = join(root, 'empty')
    mkdirSync(join(empty, 'Annotations'), { recursive: true })
    mkdirSync(join(empty, 'json'), { recursive: true })
    writeText(join(empty, 'data.yaml'), 'train: images\nval: images\nnames: [cat]\n')
    mkdirSync(join(empty, 'images'))
    writeText(
      join(empty, 'instances.json'),
      JSON.stringify({ images: [], annotations: [], categories: [] }),
    )
    for (const from of ['voc', 'dm_v2', 'yolo', 'coco'] as const) {
      const output = join(root, `out-${from}`)
      await expect(convert({ from, to: 'coco', input: empty, output }), from).rejects.toMatchObject(
        {
          code: 'DATASET_LAYOUT_ERROR',
          message: expect.stringContaining(`no images found reading it as ${from}`),
        },
      )
      await expect(validateDataset({ from, input: empty }), from).rejects.toMatchObject({
        code: 'DATASET_LAYOUT_ERROR',
      })
      expect(() => mkdirSync(output)).not.toThrow()
    }
  })

  test('YOLO labels with no images: counted as read and dropped, never "nothing lost"', async () => {
    const root = tempDir()
    const input = join(root, 'y')
    writeText(join(input, 'data.yaml'), 'train: images/train\nval: images/train\nnames: [cat]\n')
    writeText(join(input, 'images', 'train', 'a.png'), pngStub(10, 10))
    writeText(join(input, 'labels', 'train', 'a.txt'), '0 0.5 0.5 0.2 0.2\n')
    writeText(join(input, 'labels', 'train', 'b.txt'), '0 0.5 0.5 0.2 0.2\n\n0 0.3 0.3 0.1 0.1\n')
    const { report } = await convert({ from: 'yolo', to: 'coco', input, output: join(root, 'c') })
    expect(report.read.annotations).toBe(3)
    expect(report.written.annotations).toBe(1)
    expect(report.losses).toEqual([
      expect.objectContaining({
        kind: 'dropped',
        subject: 'annotation',
        count: 2,
        examples: [join(input, 'labels', 'train', 'b.txt')],
      }),
    ])
    expect(report.missingImages.count).toBe(1)
    // No image at all: the conversion fails and says why.
    const none = join(root, 'none')
    writeText(join(none, 'data.yaml'), 'train: images/train\nval: images/train\nnames: [cat]\n')
    writeText(join(none, 'labels', 'train', 'b.txt'), '0 0.5 0.5 0.2 0.2\n')
    await expect(
      convert({ from: 'yolo', to: 'coco', input: none, output: join(root, 'c2') }),
    ).rejects.toMatchObject({ message: expect.stringContaining('1 without their image file') })
  })

  test('a missing image in DM v2 → COCO is counted once', async () => {
    const root = tempDir()
    const input = join(root, 'dm')
    writeText(
      join(input, 'json', 'a.json'),
      JSON.stringify({
        classification: { bounding_box: ['cat'] },
        images: [
          { bounding_box: [{ id: 'x1', classification: 'cat', attrs: [], data: [1, 1, 2, 2] }] },
        ],
      }),
    )
    mkdirSync(join(input, 'original_files'))
    const { report } = await convert({ from: 'dm_v2', to: 'coco', input, output: join(root, 'c') })
    expect(report.missingImages.count).toBe(1)
  })
})
