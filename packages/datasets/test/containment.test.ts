import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { splitOfImagesDir } from '../src/formats/yolo/reader'
import { convert, DatasetError, validateDataset } from '../src/index'
import { FileSink } from '../src/io/fs'
import { pngStub, tempDir, writeText } from './helpers'

/** Every file below `dir`, relative, sorted (symlinks listed, not followed). */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return []
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort()
}

/** A YOLO dataset whose `data.yaml` names its val split by `val`, with one image per split. */
function yoloWithVal(root: string, val: string, valDir: string): string {
  const input = join(root, 'in')
  writeText(join(input, 'data.yaml'), `train: images/train\nval: ${val}\nnames: [cat]\n`)
  writeText(join(input, 'images', 'train', 'a.png'), pngStub(10, 10))
  writeText(join(input, 'labels', 'train', 'a.txt'), '0 0.5 0.5 0.2 0.2\n')
  writeText(join(valDir, 'images', 'b.png'), pngStub(10, 10))
  writeText(join(valDir, 'labels', 'b.txt'), '0 0.5 0.5 0.4 0.4\n')
  return input
}

function cocoWithNames(root: string, names: string[]): string {
  const input = join(root, 'in')
  const doc = {
    images: names.map((file_name, i) => ({ id: i + 1, file_name, width: 10, height: 10 })),
    annotations: [],
    categories: [{ id: 1, name: 'cat' }],
  }
  writeText(join(input, 'annotations', 'instances_train.json'), JSON.stringify(doc))
  return input
}

async function refusal(p: Promise<unknown>): Promise<DatasetError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(DatasetError)
  return error as DatasetError
}

describe('split names from climbing data.yaml paths', () => {
  test('val: ../../elsewhere/images stays inside the output, as the val split val-elsewhere', async () => {
    const root = tempDir()
    // `in` sits at root/a/b/in, so its val folder is root/a/elsewhere: inside the temp folder.
    const nested = join(root, 'a', 'b')
    const realInput = yoloWithVal(nested, '../../elsewhere/images', join(root, 'a', 'elsewhere'))
    const output = join(nested, 'out')
    const before = tree(root).filter((f) => !f.startsWith('a/b/out'))
    const { report } = await convert({ from: 'yolo', to: 'yolo', input: realInput, output })
    expect(report.written.annotations).toBe(2)
    // Nothing appeared anywhere but in the output.
    expect(tree(root).filter((f) => !f.startsWith('a/b/out'))).toEqual(before)
    expect(tree(output)).toEqual([
      'data.yaml',
      'images/train/a.png',
      'images/val-elsewhere/b.png',
      'labels/train/a.txt',
      'labels/val-elsewhere/b.txt',
    ])
    const yaml = readFileSync(join(output, 'data.yaml'), 'utf8')
    // Still the val split: its name keeps the data.yaml key it came from.
    expect(yaml).toContain('val: images/val-elsewhere')
    expect(yaml).not.toContain('..')
  })

  test('the Roboflow layout val: ../valid/images gives the split valid (COCO instances_valid.json)', async () => {
    const root = tempDir()
    // Roboflow exports put data.yaml beside train/ and valid/ but write paths from one level down.
    const input = join(root, 'ds')
    writeText(
      join(input, 'data.yaml'),
      'train: ../train/images\nval: ../valid/images\nnames: [cat]\n',
    )
    writeText(join(root, 'train', 'images', 'a.png'), pngStub(10, 10))
    writeText(join(root, 'train', 'labels', 'a.txt'), '0 0.5 0.5 0.2 0.2\n')
    writeText(join(root, 'valid', 'images', 'b.png'), pngStub(10, 10))
    writeText(join(root, 'valid', 'labels', 'b.txt'), '0 0.5 0.5 0.2 0.2\n')
    const output = join(root, 'out')
    await convert({ from: 'yolo', to: 'coco', input, output })
    expect(readdirSync(join(output, 'annotations')).sort()).toEqual([
      'instances_train.json',
      'instances_valid.json',
    ])
    expect(tree(output)).toContain('images/valid/b.png')
  })

  test('split names are one segment: climbs, images and nested parts', () => {
    expect(splitOfImagesDir('/d', '/d/images/val2017')).toBe('val2017')
    expect(splitOfImagesDir('/d', '/d/train/images')).toBe('train')
    expect(splitOfImagesDir('/d', '/d/images')).toBe('')
    expect(splitOfImagesDir('/d/x', '/d/valid/images', 'val')).toBe('valid')
    expect(splitOfImagesDir('/d/x', '/elsewhere/deep/images', 'val')).toBe('deep')
    expect(splitOfImagesDir('/d/x', '/d/images', 'val')).toBe('val')
    expect(splitOfImagesDir('/d', '/d/a/b/images')).toBe('a-b')
  })
})

describe('image file names that would leave the output folder', () => {
  for (const [what, name] of [
    ['climbing', '../../escaped.png'],
    ['climbing inside a subfolder', 'sub/../../escaped.png'],
    ['absolute', '/tmp/escaped-by-synapse-test.png'],
    ['a Windows drive path', 'C:/escaped.png'],
  ] as const) {
    for (const to of ['coco', 'yolo', 'voc', 'dm_v2', 'dm_v1'] as const) {
      test(`${what} → ${to}: refused with DATASET_PATH_ERROR, nothing written`, async () => {
        const root = tempDir()
        const input = cocoWithNames(root, ['ok.png', name])
        writeText(join(input, 'images', 'train', 'ok.png'), pngStub(10, 10))
        const output = join(root, 'sub', 'out')
        const error = await refusal(convert({ from: 'coco', to, input, output }))
        expect(error.code).toBe('DATASET_PATH_ERROR')
        expect(error.message).toContain(JSON.stringify(name))
        expect(existsSync(output)).toBe(false)
        expect(tree(join(root, 'sub'))).toEqual([])
        expect(existsSync('/tmp/escaped-by-synapse-test.png')).toBe(false)
        expect(tree(root).filter((f) => f.includes('escaped'))).toEqual([])
      })
    }
  }

  test('validate flags the names a conversion would refuse', async () => {
    const root = tempDir()
    const input = cocoWithNames(root, ['ok.png', '../../escaped.png'])
    const { ok, report } = await validateDataset({ from: 'coco', input, checkImages: false })
    expect(ok).toBe(false)
    expect(report.warnings.find((w) => w.code === 'UNSAFE_FILE_NAME')?.examples).toEqual([
      '../../escaped.png',
    ])
  })

  test('the streamed COCO → YOLO path refuses the same names', async () => {
    const root = tempDir()
    const input = cocoWithNames(root, ['../escaped.png'])
    const output = join(root, 'out')
    const error = await refusal(
      convert({ from: 'coco', to: 'yolo', input, output, streaming: 'always' }),
    )
    expect(error.code).toBe('DATASET_PATH_ERROR')
    expect(existsSync(output)).toBe(false)
    expect(tree(root).filter((f) => f.includes('escaped'))).toEqual([])
  })

  test('a VOC <filename> with .. is refused too', async () => {
    const root = tempDir()
    const input = join(root, 'in')
    writeText(
      join(input, 'Annotations', 'a.xml'),
      '<annotation><filename>../../escaped.jpg</filename><size><width>10</width><height>10</height><depth>3</depth></size>' +
        '<object><name>cat</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>5</xmax><ymax>5</ymax></bndbox></object></annotation>',
    )
    const output = join(root, 'out')
    const error = await refusal(convert({ from: 'voc', to: 'yolo', input, output }))
    expect(error.code).toBe('DATASET_PATH_ERROR')
    expect(existsSync(output)).toBe(false)
  })

  test('subfolders and dots that stay inside are kept', async () => {
    const root = tempDir()
    const input = cocoWithNames(root, ['sub/a.png', './b.png', 'c..d.png'])
    const output = join(root, 'out')
    await convert({ from: 'coco', to: 'yolo', input, output, images: 'none' })
    expect(tree(join(output, 'labels'))).toEqual([
      'train/b.txt',
      'train/c..d.txt',
      'train/sub/a.txt',
    ])
  })
})

describe('symlinks and shared paths', () => {
  test('an image that is a symlink to a folder outside cannot be used as a folder', async () => {
    const root = tempDir()
    const elsewhere = join(root, 'elsewhere')
    writeText(join(elsewhere, 'inner.png'), pngStub(10, 10))
    const input = cocoWithNames(root, ['evil.png', 'evil.png/inner.png'])
    mkdirSync(join(input, 'images', 'train'), { recursive: true })
    symlinkSync(elsewhere, join(input, 'images', 'train', 'evil.png'))
    const output = join(root, 'out')
    const error = await refusal(
      convert({ from: 'coco', to: 'coco', input, output, images: 'symlink' }),
    )
    expect(error.code).toBe('DATASET_PATH_ERROR')
    expect(tree(elsewhere)).toEqual(['inner.png'])
    expect(existsSync(output)).toBe(false)
  })

  test('a sink refuses paths outside its root and folders that resolve outside it', async () => {
    const root = tempDir()
    const out = join(root, 'out')
    mkdirSync(out)
    symlinkSync(join(root), join(out, 'link'))
    const sink = new FileSink(out)
    await expect(sink.write(join(out, '..', 'x.txt'), 'x')).rejects.toMatchObject({
      code: 'DATASET_PATH_ERROR',
    })
    await expect(sink.write(join(out, 'link', 'y.txt'), 'y')).rejects.toMatchObject({
      code: 'DATASET_PATH_ERROR',
    })
    // Unnormalised paths take the full check, with a `.`-led root (as temp folders are) too.
    await expect(sink.write(`${out}/../x.txt`, 'x')).rejects.toMatchObject({
      code: 'DATASET_PATH_ERROR',
    })
    const dotted = join(root, '.out.tmp-1')
    mkdirSync(dotted)
    const dottedSink = new FileSink(dotted)
    await expect(dottedSink.write(`${dotted}/a/../../x.txt`, 'x')).rejects.toMatchObject({
      code: 'DATASET_PATH_ERROR',
    })
    await dottedSink.write(join(dotted, 'a', 'b.txt'), 'b')
    await dottedSink.flush()
    expect(readFileSync(join(dotted, 'a', 'b.txt'), 'utf8')).toBe('b')
    await sink.write(join(out, 'ok', 'z.txt'), 'z')
    await sink.flush()
    expect(existsSync(join(root, 'x.txt'))).toBe(false)
    expect(existsSync(join(root, 'y.txt'))).toBe(false)
    expect(readFileSync(join(out, 'ok', 'z.txt'), 'utf8')).toBe('z')
  })

  test('an output folder reached through a symlinked parent is fine', async () => {
    const root = tempDir()
    const input = cocoWithNames(root, ['a.png'])
    mkdirSync(join(root, 'real'))
    symlinkSync(join(root, 'real'), join(root, 'via'))
    await convert({ from: 'coco', to: 'yolo', input, output: join(root, 'via', 'out') })
    expect(tree(join(root, 'real', 'out'))).toEqual(['data.yaml', 'labels/train/a.txt'])
  })

  test('two images with one file name: refused, and the hard-linked input is never written', async () => {
    const root = tempDir()
    const input = join(root, 'in')
    const doc = {
      images: [
        { id: 1, file_name: 'a.png', width: 10, height: 10 },
        { id: 2, file_name: 'a.png', width: 20, height: 20 },
      ],
      annotations: [],
      categories: [{ id: 1, name: 'cat' }],
    }
    writeText(join(input, 'annotations', 'instances_train.json'), JSON.stringify(doc))
    const image = writeText(join(input, 'images', 'train', 'a.png'), pngStub(10, 10))
    const bytes = readFileSync(image)
    const error = await refusal(
      convert({ from: 'coco', to: 'voc', input, output: join(root, 'out') }),
    )
    expect(error.code).toBe('DATASET_PATH_ERROR')
    expect(readFileSync(image)).toEqual(bytes)
    expect(existsSync(join(root, 'out'))).toBe(false)
  })
})
