import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { isAbsolute, join, relative, sep } from 'node:path'
import type { ReadContext } from '../../context'
import { DatasetError } from '../../errors'
import { isDirectory, isImageName, listFiles, mapLimit, stripExtension } from '../../io/fs'
import { readImageSize } from '../../io/image-header'
import { parseYaml } from '../../io/yaml'
import { parseWith } from '../../io/zod-error'
import type { Annotation, Category, Dataset, ImageRecord, YoloTask } from '../../model'
import { type YoloDataYaml, yoloDataYamlSchema } from './schema'

const YAML_NAMES = ['data.yaml', 'dataset.yaml', 'data.yml', 'dataset.yml']

/** One folder of images with its labels folder and the hub split name. */
interface YoloSplitDir {
  split: string
  images: string
  labels: string
}

/** Ultralytics' rule: the last `images` path segment becomes `labels`. */
export function labelsDirFor(imagesDir: string): string {
  const parts = imagesDir.split(sep)
  const i = parts.lastIndexOf('images')
  if (i === -1) return join(imagesDir, '..', 'labels')
  parts[i] = 'labels'
  return parts.join(sep)
}

/** Hub split name of an images folder: `images/val2017` → `val2017`, `train/images` → `train`. */
export function splitOfImagesDir(base: string, imagesDir: string): string {
  const rel = relative(base, imagesDir).split(sep).join('/')
  if (rel === 'images' || rel === '' || rel === '.') return ''
  if (rel.startsWith('images/')) return rel.slice(7)
  if (rel.endsWith('/images')) return rel.slice(0, -7)
  return rel
}

/** Finds `data.yaml` (or `dataset.yaml`) in `root`. */
export function findDataYaml(root: string): string | undefined {
  for (const name of YAML_NAMES) {
    const p = join(root, name)
    if (existsSync(p)) return p
  }
  return undefined
}

/** Class names from `data.yaml` `names` (list, or a map whose keys must be 0..n−1). */
export function namesFromYaml(data: YoloDataYaml, file: string): string[] {
  const names = data.names
  if (Array.isArray(names)) return names
  const entries = Object.entries(names)
  const out: string[] = new Array(entries.length)
  for (const [key, name] of entries) {
    const i = Number(key)
    if (!Number.isInteger(i) || i < 0 || i >= entries.length) {
      throw new DatasetError(
        'DATASET_SCHEMA_ERROR',
        `names must be indexed 0..${entries.length - 1}; found key '${key}'`,
        { file, jsonPath: `$.names.${key}` },
      )
    }
    out[i] = name
  }
  return out
}

/** Reads a YOLO dataset (Ultralytics layout) into the hub model. */
export async function readYolo(input: string, ctx: ReadContext): Promise<Dataset> {
  const yamlFile = findDataYaml(input)
  let names: string[]
  let data: YoloDataYaml | undefined
  let dirs: YoloSplitDir[]
  if (yamlFile !== undefined) {
    const text = await readFile(yamlFile, 'utf8')
    data = parseWith(yoloDataYamlSchema, parseYaml(text, yamlFile), yamlFile)
    names = namesFromYaml(data, yamlFile)
    if (data.nc !== undefined && data.nc !== names.length) {
      throw new DatasetError(
        'DATASET_SCHEMA_ERROR',
        `nc is ${data.nc} but names has ${names.length} entries`,
        { file: yamlFile, jsonPath: '$.nc' },
      )
    }
    dirs = await splitDirsFromYaml(input, data)
  } else {
    names = await namesFromClassesTxt(input)
    dirs = await splitDirsFromLayout(input)
  }
  const task: YoloTask = ctx.task ?? data?.synapse?.task ?? (data?.kpt_shape ? 'pose' : 'detect')
  const ids = data?.synapse?.category_ids
  const categories: Category[] = names.map((name, i) => ({
    id: ids !== undefined && ids.length === names.length ? ids[i]! : i + 1,
    name,
  }))
  const kptShape = data?.kpt_shape
  if (kptShape !== undefined) {
    const kpNames =
      data?.synapse?.keypoints ?? Array.from({ length: kptShape[0] }, (_, i) => `kp${i}`)
    for (const c of categories) {
      c.keypoints = kpNames
      if (data?.synapse?.skeleton !== undefined) c.skeleton = data.synapse.skeleton
    }
  }
  if (task === 'pose' && kptShape === undefined) {
    throw new DatasetError('DATASET_SCHEMA_ERROR', 'pose task needs kpt_shape in data.yaml', {
      file: yamlFile ?? input,
    })
  }
  const dataset: Dataset = { categories, images: [], imageDirs: {} }
  if (kptShape !== undefined) dataset.kptShape = kptShape
  ctx.report.report.read.categories = categories.length
  const parser = lineParser(
    task,
    categories.map((c) => c.id),
    kptShape,
  )
  for (const dir of dirs) {
    dataset.imageDirs![dir.split] = [dir.images]
    const files = (await isDirectory(dir.images)) ? await listFiles(dir.images, isImageName) : []
    if (!(await isDirectory(dir.images)))
      ctx.report.warn('MISSING_FOLDER', 'images folder not found', dir.images)
    const records = await mapLimit(files, 32, async (rel, index) => {
      if ((index & 1023) === 1023) ctx.signal?.throwIfAborted()
      return readOne(rel, dir, parser, ctx)
    })
    let id = dataset.images.length
    for (const r of records) {
      if (r === undefined) continue
      r.id = ++id
      dataset.images.push(r)
    }
    await reportOrphanLabels(dir, files, ctx)
  }
  ctx.report.report.read.images = dataset.images.length
  return dataset
}

async function readOne(
  rel: string,
  dir: YoloSplitDir,
  parse: LineParser,
  ctx: ReadContext,
): Promise<ImageRecord | undefined> {
  const imagePath = join(dir.images, rel)
  const labelFile = join(dir.labels, `${stripExtension(rel)}.txt`)
  let text = ''
  try {
    text = await readFile(labelFile, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      ctx.errors.handle(
        new DatasetError('DATASET_IO_ERROR', 'cannot read label file', {
          file: labelFile,
          cause: error,
        }),
      )
      return undefined
    }
  }
  const size = await readImageSize(imagePath, ctx.exif)
  if (size === undefined) {
    ctx.errors.handle(
      new DatasetError('DATASET_SCHEMA_ERROR', 'image header not recognised; size unknown', {
        file: imagePath,
      }),
    )
    return undefined
  }
  const img: ImageRecord = {
    id: 0,
    fileName: rel,
    split: dir.split,
    width: size.width,
    height: size.height,
    path: imagePath,
    annotations: [],
  }
  if (text === '') return img
  let start = 0
  let lineNo = 0
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    if (end === -1) end = text.length
    lineNo++
    const line = text.slice(start, end)
    start = end + 1
    if (line.trim() === '') continue
    try {
      const ann = parse(line, size.width, size.height)
      if (ann !== undefined) {
        img.annotations.push(ann)
        ctx.report.report.read.annotations++
      }
    } catch (error) {
      if (error instanceof LineError) {
        ctx.errors.handle(
          new DatasetError(error.code, error.message, { file: labelFile, line: lineNo }),
        )
      } else throw error
    }
  }
  return img
}

class LineError extends Error {
  readonly code: 'DATASET_SCHEMA_ERROR' | 'DATASET_RANGE_ERROR' | 'DATASET_REFERENCE_ERROR'
  constructor(code: LineError['code'], message: string) {
    super(message)
    this.code = code
  }
}

type LineParser = (line: string, width: number, height: number) => Annotation | undefined

/** Splits a label line on blanks (the fast path is single spaces). */
function tokens(line: string): string[] {
  const t = line.trim()
  const fast = t.split(' ')
  for (const x of fast) if (x === '' || x.includes('\t')) return t.split(/\s+/)
  return fast
}

function lineParser(
  task: YoloTask,
  ids: readonly number[],
  kptShape: [number, number] | undefined,
): LineParser {
  return (line, W, H) => {
    const tok = tokens(line.replace(/\r$/, ''))
    const nc = ids.length
    const cls = Number(tok[0])
    if (!Number.isInteger(cls))
      throw new LineError('DATASET_SCHEMA_ERROR', `class '${tok[0]}' is not an integer`)
    if (cls < 0 || cls >= nc) {
      throw new LineError('DATASET_REFERENCE_ERROR', `class ${cls} is not in names (0..${nc - 1})`)
    }
    const n = tok.length - 1
    const v = new Array<number>(n)
    for (let i = 0; i < n; i++) {
      const x = Number(tok[i + 1])
      if (!Number.isFinite(x))
        throw new LineError('DATASET_SCHEMA_ERROR', `value '${tok[i + 1]}' is not a number`)
      v[i] = x
    }
    const categoryId = ids[cls]!
    const box = (): [number, number, number, number] => {
      for (let i = 0; i < 4; i++) checkRange(v[i]!, i)
      const w = v[2]! * W
      const h = v[3]! * H
      return [v[0]! * W - w / 2, v[1]! * H - h / 2, w, h]
    }
    if (task === 'pose') {
      const [k, d] = kptShape!
      if (n !== 4 + k * d) {
        throw new LineError(
          'DATASET_SCHEMA_ERROR',
          `pose line needs ${5 + k * d} values (kpt_shape [${k}, ${d}]), has ${n + 1}`,
        )
      }
      const kps = new Array<number>(k * 3)
      for (let i = 0; i < k; i++) {
        const x = v[4 + i * d]!
        const y = v[5 + i * d]!
        checkRange(x, 4 + i * d)
        checkRange(y, 5 + i * d)
        const vis = d === 3 ? v[6 + i * d]! : 2
        if (vis !== 0 && vis !== 1 && vis !== 2)
          throw new LineError('DATASET_SCHEMA_ERROR', `keypoint visibility ${vis} is not 0, 1 or 2`)
        kps[i * 3] = x * W
        kps[i * 3 + 1] = y * H
        kps[i * 3 + 2] = vis
      }
      return { categoryId, bbox: box(), keypoints: kps }
    }
    if (task === 'obb') {
      if (n !== 8)
        throw new LineError('DATASET_SCHEMA_ERROR', `OBB line needs 9 values, has ${n + 1}`)
      return { categoryId, obb: scale(v, W, H) }
    }
    if (n === 4) return { categoryId, bbox: box() }
    if (n >= 6 && n % 2 === 0) return { categoryId, polygons: [scale(v, W, H)] }
    throw new LineError(
      'DATASET_SCHEMA_ERROR',
      `expected 5 values (box) or an odd count ≥ 7 (polygon), has ${n + 1}`,
    )
  }
}

function checkRange(x: number, i: number): void {
  if (x < 0 || x > 1)
    throw new LineError('DATASET_RANGE_ERROR', `value ${x} at position ${i + 2} is outside [0, 1]`)
}

function scale(v: number[], W: number, H: number): number[] {
  const out = new Array<number>(v.length)
  for (let i = 0; i < v.length; i++) {
    checkRange(v[i]!, i)
    out[i] = i % 2 === 0 ? v[i]! * W : v[i]! * H
  }
  return out
}

async function splitDirsFromYaml(root: string, data: YoloDataYaml): Promise<YoloSplitDir[]> {
  let base = root
  if (data.path !== undefined) {
    const p = isAbsolute(data.path) ? data.path : join(root, data.path)
    if (await isDirectory(p)) base = p
  }
  const out: YoloSplitDir[] = []
  const seen = new Set<string>()
  for (const key of ['train', 'val', 'test'] as const) {
    const value = data[key]
    if (value === undefined || value === null) continue
    for (const d of Array.isArray(value) ? value : [value]) {
      const images = isAbsolute(d) ? d : join(base, d)
      if (seen.has(images)) continue
      seen.add(images)
      out.push({ split: splitOfImagesDir(base, images), images, labels: labelsDirFor(images) })
    }
  }
  return out
}

async function splitDirsFromLayout(root: string): Promise<YoloSplitDir[]> {
  const images = join(root, 'images')
  if (!(await isDirectory(images))) {
    throw new DatasetError('DATASET_LAYOUT_ERROR', 'no data.yaml and no images/ folder', {
      file: root,
    })
  }
  const entries = await readdir(images, { withFileTypes: true })
  const subdirs = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.'))
  const hasFiles = entries.some((e) => e.isFile() && isImageName(e.name))
  if (subdirs.length > 0 && !hasFiles) {
    return subdirs
      .map((e) => e.name)
      .sort()
      .map((s) => ({ split: s, images: join(images, s), labels: join(root, 'labels', s) }))
  }
  return [{ split: '', images, labels: join(root, 'labels') }]
}

async function namesFromClassesTxt(root: string): Promise<string[]> {
  const file = join(root, 'classes.txt')
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    throw new DatasetError(
      'DATASET_LAYOUT_ERROR',
      'no data.yaml and no classes.txt: class names unknown',
      {
        file: root,
      },
    )
  }
  return text
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() !== '')
}

async function reportOrphanLabels(
  dir: YoloSplitDir,
  images: string[],
  ctx: ReadContext,
): Promise<void> {
  if (!(await isDirectory(dir.labels))) return
  const labels = await listFiles(dir.labels, (n) => n.endsWith('.txt'))
  if (labels.length <= images.length && labels.length === 0) return
  const stems = new Set(images.map(stripExtension))
  for (const l of labels) {
    const stem = l.slice(0, -4)
    if (!stems.has(stem)) {
      ctx.report.missingImage(`${stem} (labels/${l})`)
    }
  }
}
