import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { convert, DatasetError, datasetStats, readImageSize } from '../src/index'
import { jpegStub, pngStub, tempDir, writeText } from './helpers'

function yoloDir(
  yaml: string,
  labels: Record<string, string>,
  images: Record<string, Buffer>,
): string {
  const root = tempDir()
  writeText(join(root, 'data.yaml'), yaml)
  for (const [p, t] of Object.entries(labels)) writeText(join(root, p), t)
  for (const [p, b] of Object.entries(images)) writeText(join(root, p), b)
  return root
}

async function toCoco(root: string, extra: Record<string, unknown> = {}) {
  const out = join(tempDir(), 'coco')
  const r = await convert({
    from: 'yolo',
    to: 'coco',
    input: root,
    output: out,
    images: 'none',
    ...extra,
  })
  const file = join(out, 'annotations', 'instances_train.json')
  const fallback = join(out, 'annotations', 'instances.json')
  return { r, doc: JSON.parse(readFileSync(existsSync(file) ? file : fallback, 'utf8')) }
}

describe('YOLO reader', () => {
  test('names as a list or a map; images without a label file are background images', async () => {
    for (const names of ['names: [cat, dog]', 'names:\n  0: cat\n  1: dog']) {
      const root = yoloDir(
        `train: images/train\nval: images/train\n${names}\n`,
        { 'labels/train/a.txt': '1 0.5 0.5 0.5 0.5' },
        { 'images/train/a.png': pngStub(200, 100), 'images/train/b.png': pngStub(10, 10) },
      )
      const { doc } = await toCoco(root)
      expect(doc.categories).toEqual([
        { id: 1, name: 'cat' },
        { id: 2, name: 'dog' },
      ])
      expect(doc.images.map((i: { file_name: string }) => i.file_name)).toEqual(['a.png', 'b.png'])
      expect(doc.annotations).toHaveLength(1)
      expect(doc.annotations[0].category_id).toBe(2)
      expect(doc.annotations[0].bbox).toEqual([50, 25, 100, 50])
    }
  })

  test('map keys must be 0..n-1', async () => {
    const root = yoloDir('train: images\nnames:\n  0: a\n  2: c\n', {}, {})
    await expect(toCoco(root)).rejects.toMatchObject({
      code: 'DATASET_SCHEMA_ERROR',
      jsonPath: '$.names.2',
    })
  })

  test('bad lines name the file and line; skip counts them, fail stops', async () => {
    const root = yoloDir(
      'train: images\nnames: [a]\n',
      {
        'labels/a.txt':
          '0 0.5 0.5 0.1 0.1\n3 0.5 0.5 0.1 0.1\n0 1.5 0.5 0.1 0.1\n0 x 0.5 0.1 0.1\n0 0.1 0.1\n0 0.5 0.5 0.2 0.2',
      },
      { 'images/a.png': pngStub(100, 100) },
    )
    const { r, doc } = await toCoco(root, { onError: 'skip' })
    expect(doc.annotations).toHaveLength(2)
    expect(r.report.skipped.count).toBe(4)
    expect(r.report.skipped.byCode).toEqual({
      DATASET_REFERENCE_ERROR: 1,
      DATASET_RANGE_ERROR: 1,
      DATASET_SCHEMA_ERROR: 2,
    })
    expect(r.report.skipped.errors[0]?.details).toMatchObject({
      file: join(root, 'labels', 'a.txt'),
      line: 2,
    })
    const failed = await toCoco(root).catch((e: unknown) => e)
    expect(failed).toBeInstanceOf(DatasetError)
    expect((failed as DatasetError).line).toBe(2)
  })

  test('pose lines with kpt_shape [k, 3] keep visibility; category keypoint names from the side channel', async () => {
    const root = yoloDir(
      'train: images\nnames: [person]\nkpt_shape: [2, 3]\n',
      { 'labels/a.txt': '0 0.5 0.5 0.5 0.5 0.25 0.25 2 0 0 0\n' },
      { 'images/a.png': pngStub(100, 100) },
    )
    const { doc } = await toCoco(root)
    expect(doc.annotations[0].keypoints).toEqual([25, 25, 2, 0, 0, 0])
    expect(doc.annotations[0].num_keypoints).toBe(1)
    expect(doc.categories[0].keypoints).toEqual(['kp0', 'kp1'])
  })

  test('OBB lines need the declared task (a 4-point segment looks the same)', async () => {
    const root = yoloDir(
      'train: images\nnames: [ship]\n',
      { 'labels/a.txt': '0 0.1 0.1 0.5 0.1 0.5 0.5 0.1 0.5\n' },
      { 'images/a.png': pngStub(100, 100) },
    )
    const seg = await toCoco(root)
    expect(seg.doc.annotations[0].segmentation).toEqual([[10, 10, 50, 10, 50, 50, 10, 50]])
    // Read as OBB, an angle-0 rectangle is exactly its box: written to COCO as one, no loss.
    const obb = await toCoco(root, { fromTask: 'obb' })
    expect(obb.doc.annotations[0].bbox).toEqual([10, 10, 40, 40])
    expect(obb.doc.annotations[0].segmentation).toEqual([])
    expect(obb.r.report.losses.map((l) => l.subject)).not.toContain('oriented box')
    // A turned one becomes a 4-point polygon, and that is reported.
    const turned = yoloDir(
      'train: images\nnames: [ship]\n',
      { 'labels/a.txt': '0 0.3 0.1 0.5 0.3 0.3 0.5 0.1 0.3\n' },
      { 'images/a.png': pngStub(100, 100) },
    )
    const t = await toCoco(turned, { fromTask: 'obb' })
    expect(t.doc.annotations[0].segmentation).toEqual([[30, 10, 50, 30, 30, 50, 10, 30]])
    expect(t.r.report.losses.map((l) => l.subject)).toContain('oriented box')
  })

  test('label path rule: images/… → labels/…, extension → .txt, subfolders kept', async () => {
    const root = yoloDir(
      'path: .\ntrain: images/train2017\nval: images/val2017\nnames: [a]\n',
      { 'labels/val2017/sub/x.txt': '0 0.5 0.5 1 1' },
      { 'images/val2017/sub/x.jpeg': pngStub(8, 4) },
    )
    const out = join(tempDir(), 'coco')
    await convert({ from: 'yolo', to: 'coco', input: root, output: out, images: 'none' })
    const doc = JSON.parse(readFileSync(join(out, 'annotations', 'instances_val2017.json'), 'utf8'))
    expect(doc.images[0]).toMatchObject({ file_name: 'sub/x.jpeg', width: 8, height: 4 })
    expect(doc.annotations[0].bbox).toEqual([0, 0, 8, 4])
  })
})

describe('YOLO image lists', () => {
  function listed(train: string, yaml = 'train: train.txt\nval: [val.txt]\nnames: [a, b]\n') {
    const root = yoloDir(
      yaml,
      {
        'labels/train/a.txt': '0 0.5 0.5 0.5 0.5',
        'labels/train/sub/b.txt': '1 0.5 0.5 1 1',
        'labels/val/c.txt': '1 0.5 0.5 0.5 0.5',
      },
      {
        'images/train/a.png': pngStub(200, 100),
        'images/train/sub/b.png': pngStub(10, 20),
        'images/val/c.png': pngStub(40, 40),
      },
    )
    writeText(join(root, 'train.txt'), train)
    // An absolute path and CRLF line ends, as lists written elsewhere have.
    writeText(join(root, 'val.txt'), `${join(root, 'images', 'val', 'c.png')}\r\n`)
    return root
  }

  test('train: train.txt and val: [val.txt] read the listed images and find their labels', async () => {
    const root = listed('./images/train/sub/b.png\n\n./images/train/a.png\n')
    const out = join(tempDir(), 'coco')
    const r = await convert({ from: 'yolo', to: 'coco', input: root, output: out, images: 'none' })
    expect(r.report.skipped.count).toBe(0)
    const train = JSON.parse(readFileSync(join(out, 'annotations', 'instances_train.json'), 'utf8'))
    // Sorted, file names relative to the folder all listed images share, as a folder read gives.
    expect(train.images).toMatchObject([
      { file_name: 'a.png', width: 200, height: 100 },
      { file_name: 'sub/b.png', width: 10, height: 20 },
    ])
    expect(train.annotations.map((a: { bbox: number[] }) => a.bbox)).toEqual([
      [50, 25, 100, 50],
      [0, 0, 10, 20],
    ])
    const val = JSON.parse(readFileSync(join(out, 'annotations', 'instances_val.json'), 'utf8'))
    expect(val.images).toMatchObject([{ file_name: 'c.png', width: 40, height: 40 }])
    expect(val.annotations[0]).toMatchObject({ category_id: 2, bbox: [10, 10, 20, 20] })
  })

  test('a list read gives the same records as reading the folder it lists', async () => {
    const fromList = await toCoco(listed('./images/train/a.png\n./images/train/sub/b.png\n'))
    const fromDir = await toCoco(listed('', 'train: images/train\nnames: [a, b]\n'))
    expect(fromList.doc.images).toEqual(fromDir.doc.images)
    expect(fromList.doc.annotations).toEqual(fromDir.doc.annotations)
  })

  test('a list mixed with a folder; VOC and DM output take the listed images', async () => {
    const root = listed(
      './images/train/a.png\n',
      'train: [train.txt, images/val]\nnames: [a, b]\nsynapse:\n  task: detect\n',
    )
    const voc = join(tempDir(), 'voc')
    await convert({ from: 'yolo', to: 'voc', input: root, output: voc, images: 'copy' })
    expect(existsSync(join(voc, 'Annotations', 'a.xml'))).toBe(true)
    expect(existsSync(join(voc, 'Annotations', 'c.xml'))).toBe(true)
    expect(existsSync(join(voc, 'JPEGImages', 'a.png'))).toBe(true)
    const dm = join(tempDir(), 'dm')
    const r = await convert({ from: 'yolo', to: 'dm_v2', input: root, output: dm, images: 'copy' })
    expect(r.report.read.images).toBe(2)
    expect(existsSync(join(dm, 'train', 'json', 'a.json'))).toBe(true)
    expect(existsSync(join(dm, 'train', 'original_files', 'a.png'))).toBe(true)
    expect(existsSync(join(dm, 'val', 'json', 'c.json'))).toBe(true)
  })

  test('a listed image that does not exist: skip names the list and line, fail stops', async () => {
    const root = listed('./images/train/a.png\n./images/train/gone.png\n')
    const { r, doc } = await toCoco(root, { onError: 'skip' })
    expect(doc.images.map((i: { file_name: string }) => i.file_name)).toEqual(['a.png'])
    expect(r.report.skipped.byCode).toEqual({ DATASET_REFERENCE_ERROR: 1 })
    expect(r.report.skipped.errors[0]?.details).toMatchObject({
      file: join(root, 'train.txt'),
      line: 2,
    })
    const failed = await toCoco(root).catch((e: unknown) => e)
    expect(failed).toBeInstanceOf(DatasetError)
    expect(failed).toMatchObject({
      code: 'DATASET_REFERENCE_ERROR',
      file: join(root, 'train.txt'),
      line: 2,
    })
  })

  test('a list file that does not exist is an IO error naming it and its data.yaml key', async () => {
    const root = listed(
      './images/train/a.png\n',
      'train: train.txt\nval: [nope.txt]\nnames: [a, b]\n',
    )
    const failed = await toCoco(root, { onError: 'skip' }).catch((e: unknown) => e)
    expect(failed).toBeInstanceOf(DatasetError)
    expect(failed).toMatchObject({
      code: 'DATASET_IO_ERROR',
      file: join(root, 'data.yaml'),
      jsonPath: '$.val[0]',
    })
    expect((failed as DatasetError).message).toContain(join(root, 'nope.txt'))
  })

  test('lists named alike under two keys stay two splits', async () => {
    const root = listed('', 'train: t/list.txt\nval: v/list.txt\nnames: [a, b]\n')
    writeText(join(root, 't', 'list.txt'), '../images/train/a.png\n')
    writeText(join(root, 'v', 'list.txt'), '../images/val/c.png\n')
    const out = join(tempDir(), 'coco')
    await convert({ from: 'yolo', to: 'coco', input: root, output: out, images: 'none' })
    const doc = (split: string) =>
      JSON.parse(readFileSync(join(out, 'annotations', `instances_${split}.json`), 'utf8'))
    expect(doc('list').images).toMatchObject([{ file_name: 'a.png' }])
    expect(doc('val').images).toMatchObject([{ file_name: 'c.png' }])
  })

  test('an image named by a list and a folder of one split is read once, with a warning', async () => {
    const root = listed(
      './images/train/a.png\n',
      'train: [train.txt, images/train]\nnames: [a, b]\n',
    )
    const { r, doc } = await toCoco(root)
    expect(doc.images.map((i: { file_name: string }) => i.file_name)).toEqual([
      'a.png',
      'sub/b.png',
    ])
    expect(r.report.warnings).toContainEqual(
      expect.objectContaining({ code: 'DUPLICATE_IMAGE', count: 1 }),
    )
  })
})

describe('image sizes from headers', () => {
  test('EXIF orientation 6 swaps width and height under apply, not under ignore', async () => {
    const dir = tempDir()
    const p = writeText(join(dir, 'r.jpg'), jpegStub(640, 480, 6))
    expect(await readImageSize(p, 'apply')).toMatchObject({
      width: 480,
      height: 640,
      orientation: 6,
    })
    expect(await readImageSize(p, 'ignore')).toMatchObject({ width: 640, height: 480 })
    const q = writeText(join(dir, 'n.jpg'), jpegStub(640, 480, 1))
    expect(await readImageSize(q, 'apply')).toMatchObject({ width: 640, height: 480 })
  })

  test('a SOF past the first 4 KiB is still found; missing and non-images are undefined', async () => {
    const dir = tempDir()
    const p = writeText(join(dir, 'big.jpg'), jpegStub(33, 22, undefined, 20000))
    expect(await readImageSize(p, 'apply')).toMatchObject({ width: 33, height: 22 })
    expect(await readImageSize(join(dir, 'nope.jpg'), 'apply')).toBeUndefined()
    const t = writeText(join(dir, 'text.jpg'), 'not an image')
    expect(await readImageSize(t, 'apply')).toBeUndefined()
  })

  test('YOLO → COCO uses the displayed size of a rotated JPEG', async () => {
    const root = yoloDir(
      'train: images\nnames: [a]\n',
      { 'labels/r.txt': '0 0.5 0.5 1 1' },
      { 'images/r.jpg': jpegStub(640, 480, 6) },
    )
    const { doc } = await toCoco(root)
    expect(doc.images[0]).toMatchObject({ width: 480, height: 640 })
    expect(doc.annotations[0].bbox).toEqual([0, 0, 480, 640])
  })
})

describe('YOLO writer', () => {
  test('data.yaml keeps class order, ids and kpt_shape; labels clip and report values past the border', async () => {
    const dir = tempDir()
    const coco = {
      images: [
        { id: 3, file_name: 'a.png', width: 640, height: 480 },
        { id: 4, file_name: 'empty.png', width: 10, height: 10 },
      ],
      annotations: [
        { id: 1, image_id: 3, category_id: 90, bbox: [600, 400, 80, 100], area: 1, iscrowd: 0 },
        { id: 2, image_id: 3, category_id: 18, bbox: [0, 0, 640, 480], area: 1, iscrowd: 0 },
        { id: 3, image_id: 3, category_id: 18, bbox: [5, 5, 0, 0], area: 0, iscrowd: 0 },
      ],
      categories: [
        { id: 90, name: 'toothbrush' },
        { id: 18, name: 'dog' },
      ],
    }
    writeText(join(dir, 'in.json'), JSON.stringify(coco))
    const r = await convert({
      from: 'coco',
      to: 'yolo',
      input: join(dir, 'in.json'),
      output: join(dir, 'y'),
      images: 'none',
    })
    expect(r.task).toBe('detect')
    const yaml = readFileSync(join(dir, 'y', 'data.yaml'), 'utf8')
    expect(yaml).toContain('0: toothbrush')
    expect(yaml).toContain('1: dog')
    expect(yaml).toMatch(/category_ids:\s*\n\s*- 90\n\s*- 18/)
    const label = readFileSync(join(dir, 'y', 'labels', 'a.txt'), 'utf8')
    // Box past the right/bottom edge: clipped to the visible part.
    expect(label.split('\n')[0]).toBe('0 0.968750 0.916667 0.062500 0.166667')
    // Box touching every border: exactly the image.
    expect(label.split('\n')[1]).toBe('1 0.500000 0.500000 1.000000 1.000000')
    // Zero-area box: kept, zero size.
    expect(label.split('\n')[2]).toBe('1 0.007812 0.010417 0.000000 0.000000')
    expect(readFileSync(join(dir, 'y', 'labels', 'empty.txt'), 'utf8')).toBe('')
    expect(r.report.losses.find((l) => l.kind === 'clipped')?.count).toBe(1)
    // Written with images: 'none', so reading the YOLO set back finds labels without images:
    // no images at all is an input error, naming why.
    await expect(datasetStats({ from: 'yolo', input: join(dir, 'y') })).rejects.toMatchObject({
      code: 'DATASET_LAYOUT_ERROR',
      message: expect.stringContaining('2 without their image file'),
    })
  })
})

test('labels and images named in different Unicode normal forms still pair up', async () => {
  const nfc = 'café'.normalize('NFC')
  const nfd = 'café'.normalize('NFD')
  const root = yoloDir(
    'train: images\nnames: [a]\n',
    { [`labels/${nfd}.txt`]: '0 0.5 0.5 1 1' },
    { [`images/${nfc}.png`]: pngStub(10, 10) },
  )
  const { r, doc } = await toCoco(root)
  expect(doc.annotations).toHaveLength(1)
  expect(r.report.missingImages.count).toBe(0)
})

test('loss examples name the file and annotation once', async () => {
  const dir = tempDir()
  const coco = {
    images: [{ id: 1, file_name: 'a.png', width: 10, height: 10 }],
    annotations: [{ id: 7, image_id: 1, category_id: 1, bbox: [0, 0, 1, 1], area: 1, iscrowd: 1 }],
    categories: [{ id: 1, name: 'x' }],
  }
  writeText(join(dir, 'c.json'), JSON.stringify(coco))
  const r = await convert({
    from: 'coco',
    to: 'yolo',
    input: join(dir, 'c.json'),
    output: join(dir, 'y'),
    images: 'none',
  })
  expect(r.report.losses.find((l) => l.subject === 'crowd region')?.examples).toEqual(['a.png#7'])
})
