import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// Header-only image stubs: the datasets package's own test helper, so both make them alike.
import { pngStub } from '@synapse/datasets/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCli, runCli } from './run-cli'

let tmp: string
let coco: string

// Two images, non-contiguous category ids, a polygon, a box-only annotation and a crowd RLE.
const COCO = {
  images: [
    { id: 1, file_name: 'a.jpg', width: 640, height: 480 },
    { id: 7, file_name: 'b.jpg', width: 100, height: 50 },
  ],
  categories: [
    { id: 3, name: 'cat' },
    { id: 17, name: 'dog' },
  ],
  annotations: [
    {
      id: 10,
      image_id: 1,
      category_id: 3,
      bbox: [10, 20, 100, 50],
      area: 5000,
      iscrowd: 0,
      segmentation: [[10, 20, 110, 20, 110, 70, 10, 70]],
    },
    {
      id: 11,
      image_id: 1,
      category_id: 17,
      bbox: [200, 100, 40, 40],
      area: 1600,
      iscrowd: 0,
      segmentation: [],
    },
    {
      id: 12,
      image_id: 7,
      category_id: 17,
      bbox: [0, 0, 10, 10],
      area: 100,
      iscrowd: 1,
      segmentation: { size: [50, 100], counts: [0, 10, 40, 10, 4940] },
    },
  ],
}

beforeAll(() => {
  buildCli()
  tmp = mkdtempSync(join(tmpdir(), 'synapse-cli-dataset-'))
  coco = join(tmp, 'coco.json')
  writeFileSync(coco, JSON.stringify(COCO))
  // Images live beside the annotations, as COCO exports have them; YOLO needs them for sizes.
  mkdirSync(join(tmp, 'images'))
  writeFileSync(join(tmp, 'images', 'a.jpg'), pngStub(640, 480))
  writeFileSync(join(tmp, 'images', 'b.jpg'), pngStub(100, 50))
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('synapse dataset convert', () => {
  it('converts COCO to YOLO, keeps the class mapping and prints the loss report', () => {
    const out = join(tmp, 'yolo')
    const r = runCli(['dataset', 'convert', '--from', 'coco', '--to', 'yolo', coco, out, '-q'])
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('coco → yolo')
    expect(r.stdout).toMatch(/dropped 1 × crowd region/)
    const yaml = readFileSync(join(out, 'data.yaml'), 'utf8')
    expect(yaml).toMatch(/0: cat\n\s+1: dog/)
    expect(
      readFileSync(join(out, 'labels', 'a.txt'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(2)
  })

  it('round-trips YOLO back to COCO with the original category ids', () => {
    const yolo = join(tmp, 'yolo-rt')
    const back = join(tmp, 'coco-rt')
    expect(
      runCli(['dataset', 'convert', '-f', 'coco', '-t', 'yolo', coco, yolo, '-q']).status,
    ).toBe(0)
    const r = runCli(['dataset', 'convert', '-f', 'yolo', '-t', 'coco', yolo, back, '-q', '--json'])
    expect(r.status).toBe(0)
    const result = JSON.parse(r.stdout)
    expect(result.report.read.annotations).toBe(2)
    const written = JSON.parse(readFileSync(join(back, 'annotations', 'instances.json'), 'utf8'))
    expect(written.annotations).toHaveLength(2)
    expect(
      written.categories.map((c: { id: number }) => c.id).sort((a: number, b: number) => a - b),
    ).toEqual([3, 17])
  })

  it('--strict fails with exit 1 and writes nothing when the target would lose data', () => {
    const out = join(tmp, 'strict-out')
    const r = runCli([
      'dataset',
      'convert',
      '-f',
      'coco',
      '-t',
      'yolo',
      coco,
      out,
      '--strict',
      '-q',
    ])
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('DATASET_LOSS_STRICT')
    expect(existsSync(out)).toBe(false)
    expect(readdirSync(tmp).some((f) => f.startsWith('strict-out'))).toBe(false)
  })

  it('names the file and position of malformed JSON, exits 2 and leaves no output', () => {
    const broken = join(tmp, 'broken.json')
    writeFileSync(broken, '{"images": [\n  {"id": 1,, "file_name": "a.jpg"}\n]}')
    const out = join(tmp, 'broken-out')
    const r = runCli(['dataset', 'convert', '-f', 'coco', '-t', 'voc', broken, out, '-q'])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('DATASET_PARSE_ERROR')
    expect(r.stderr).toContain(`${broken}:2:`)
    expect(existsSync(out)).toBe(false)
  })

  it('an empty VOC folder fails with exit 2 like the other formats, writing nothing', () => {
    const empty = join(tmp, 'empty-voc')
    mkdirSync(join(empty, 'Annotations'), { recursive: true })
    const out = join(tmp, 'empty-out')
    const r = runCli(['dataset', 'convert', '-f', 'voc', '-t', 'coco', empty, out, '-q'])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('DATASET_LAYOUT_ERROR')
    expect(r.stderr).toContain('no images found reading it as voc')
    expect(existsSync(out)).toBe(false)
  })

  it('--class-order sorted numbers the used class names sorted', () => {
    const out = join(tmp, 'sorted-yolo')
    const data = structuredClone(COCO)
    data.categories = [
      { id: 3, name: 'zebra' },
      { id: 17, name: 'ant' },
    ]
    const file = join(tmp, 'zebra-ant.json')
    writeFileSync(file, JSON.stringify(data))
    const r = runCli([
      'dataset',
      'convert',
      '-f',
      'coco',
      '-t',
      'yolo',
      file,
      out,
      '-q',
      '--class-order',
      'sorted',
    ])
    expect(r.status).toBe(0)
    expect(readFileSync(join(out, 'data.yaml'), 'utf8')).toMatch(/0: ant\n\s+1: zebra/)
  })

  it('--verify reads the output back and passes when the report accounts for every difference', () => {
    const out = join(tmp, 'verified-voc')
    const r = runCli(['dataset', 'convert', '-f', 'coco', '-t', 'voc', coco, out, '-q', '--verify'])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(
      /verified: read back, \d+ kinds of difference, each accounted for by the report/,
    )
  })

  it('rejects an unknown format, naming the known ones', () => {
    const r = runCli([
      'dataset',
      'convert',
      '-f',
      'coco',
      '-t',
      'tfrecord',
      coco,
      join(tmp, 'x'),
      '-q',
    ])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("unknown format 'tfrecord'")
  })
})

describe('synapse dataset validate and stats', () => {
  it('validate passes a clean dataset and reports missing images with exit 1', () => {
    const clean = runCli(['dataset', 'validate', '-f', 'coco', coco, '-q'])
    expect(clean.stdout).toContain('valid')
    expect(clean.status).toBe(0)
    const elsewhere = join(tmp, 'no-images')
    mkdirSync(elsewhere)
    writeFileSync(join(elsewhere, 'coco.json'), JSON.stringify(COCO))
    const missing = runCli([
      'dataset',
      'validate',
      '-f',
      'coco',
      join(elsewhere, 'coco.json'),
      '-q',
    ])
    expect(missing.status).toBe(1)
    expect(missing.stdout).toContain('missing images: 2')
  })

  it('validate flags a box outside its image', () => {
    const bad = join(tmp, 'outside.json')
    const data = structuredClone(COCO)
    data.annotations[1]!.bbox = [620, 100, 40, 40]
    writeFileSync(bad, JSON.stringify(data))
    const r = runCli(['dataset', 'validate', '-f', 'coco', bad, '-q', '--no-images', '--json'])
    expect(r.status).toBe(1)
    const result = JSON.parse(r.stdout)
    expect(result.ok).toBe(false)
    expect(result.report.warnings.map((w: { code: string }) => w.code)).toContain(
      'BOX_OUTSIDE_IMAGE',
    )
  })

  it('stats counts images and annotations per class', () => {
    const r = runCli(['dataset', 'stats', '-f', 'coco', coco, '-q', '--json'])
    expect(r.status).toBe(0)
    const { stats } = JSON.parse(r.stdout)
    expect(stats.images).toBe(2)
    expect(stats.annotations).toBe(3)
    const dog = stats.classes.find((c: { name: string }) => c.name === 'dog')
    expect(dog).toBeDefined()
  })
})
