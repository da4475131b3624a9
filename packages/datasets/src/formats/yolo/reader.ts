import { existsSync, readFileSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, normalize, relative, sep } from 'node:path'
import type { ReadContext } from '../../context'
import { POW10 } from '../../conventions'
import { DatasetError } from '../../errors'
import { isDirectory, isImageName, listFiles, stripExtension } from '../../io/fs'
import { readImageSizeSync } from '../../io/image-header'
import { parseYaml } from '../../io/yaml'
import { parseWith } from '../../io/zod-error'
import type { Annotation, Category, Dataset, ImageRecord, YoloTask } from '../../model'
import { yoloSplitKey } from '../../splits'
import { looksLikeClassify, readYoloClassify } from './classify'
import { type YoloDataYaml, yoloDataYamlSchema } from './schema'

const YAML_NAMES = ['data.yaml', 'dataset.yaml', 'data.yml', 'dataset.yml']

/** One folder of images with its labels folder and the hub split name. */
interface YoloSplitDir {
  split: string
  images: string
  labels: string
  /**
   * Prepended to file names read here: this folder's path (`/`-ended) below the folder the split's
   * file names are relative to. `''` for a folder split; an image list spreads over several folders.
   */
  prefix: string
}

/** A `.txt` file naming one image per line, given for a split in `data.yaml`. */
interface YoloImageList {
  split: string
  list: string
  /** Where `data.yaml` names the list (`$.train`, `$.val[1]`), for the error when it is missing. */
  jsonPath: string
}

/** Ultralytics' rule: the last `images` path segment becomes `labels`. */
export function labelsDirFor(imagesDir: string): string {
  const parts = imagesDir.split(sep)
  const i = parts.lastIndexOf('images')
  if (i === -1) return join(imagesDir, '..', 'labels')
  parts[i] = 'labels'
  return parts.join(sep)
}

/**
 * Hub split name of an images folder: `images/val2017` → `val2017`, `train/images` → `train`,
 * and for a folder outside `base` (Roboflow's `val: ../valid/images`) its own name, `valid`.
 * Split names become folder and file names in the output, so the name is one path segment:
 * `..` and `.` steps and `images` segments are left out, deeper parts joined with `-`; `fallback`
 * (the `data.yaml` key) names a folder that leaves nothing (`val: ../images`).
 */
export function splitOfImagesDir(base: string, imagesDir: string, fallback = ''): string {
  const rel = relative(base, imagesDir).split(sep).join('/')
  const parts = rel.split('/').filter((p) => p !== '' && p !== '.' && p !== '..')
  const climbs = rel === '..' || rel.startsWith('../') || isAbsolute(rel)
  const kept = parts.filter((p) => p !== 'images')
  if (kept.length === 0) return climbs ? fallback : ''
  // A folder outside `base` is named by its own last segments only: the climb says nothing.
  return (climbs ? kept.slice(-1) : kept).join('-')
}

/**
 * A split name that still says which `data.yaml` key it came from: writers file splits under
 * train/val/test by name (`val2017` → val), so a val folder named `elsewhere` would come back as
 * training data. Such a name gets the key in front (`val-elsewhere`).
 */
function withRole(name: string, key: 'train' | 'val' | 'test'): string {
  // Only a name that says nothing (read as train) under val or test: a writer that lists a
  // val folder under train too (there being no train) must not turn it into `train-val`.
  return name === '' || key === 'train' || yoloSplitKey(name) !== 'train' ? name : `${key}-${name}`
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
  if (ctx.task === 'classify' || (yamlFile === undefined && (await looksLikeClassify(input)))) {
    return readYoloClassify(input, ctx)
  }
  let names: string[]
  let data: YoloDataYaml | undefined
  let dirs: (YoloSplitDir | YoloImageList)[]
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
  // Every image read so far (absolute path): a split may name one image in a list and a folder
  // both, and two records with one file name would collide in every output format.
  const seenImages = new Set<string>()
  for (const dir of dirs) {
    if ('list' in dir) {
      readImageList(dir, yamlFile!, dataset, parser, seenImages, ctx)
      continue
    }
    dataset.imageDirs![dir.split] = [...(dataset.imageDirs![dir.split] ?? []), dir.images]
    const files = (await isDirectory(dir.images)) ? await listFiles(dir.images, isImageName) : []
    if (!(await isDirectory(dir.images)))
      ctx.report.warn('MISSING_FOLDER', 'images folder not found', dir.images)
    // Blocking reads, in file order: for thousands of small labels and image headers in the page
    // cache this is several times faster than callback I/O (its thread-pool round trips, four per
    // label file and three per header, compete with the parser for two cores).
    const records: (ImageRecord | undefined)[] = []
    for (let index = 0; index < files.length; index++) {
      if ((index & 1023) === 1023) ctx.signal?.throwIfAborted()
      const path = join(dir.images, files[index]!)
      if (seenImages.has(path)) {
        ctx.report.warn('DUPLICATE_IMAGE', 'image named twice in data.yaml; read once', path)
        continue
      }
      seenImages.add(path)
      records.push(readOne(files[index]!, dir, parser, ctx))
    }
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

function readOne(
  rel: string,
  dir: YoloSplitDir,
  parse: LineParser,
  ctx: ReadContext,
): ImageRecord | undefined {
  const imagePath = join(dir.images, rel)
  let labelFile = join(dir.labels, `${stripExtension(rel)}.txt`)
  // Bytes, not a string: label files are ASCII digits, and 20 MB of strings per 5,000 files only
  // fed the young-generation collector.
  let text: Uint8Array = EMPTY
  try {
    text = readFileSync(labelFile)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      // The label may be named in the other Unicode normal form (macOS writes NFD).
      for (const form of ['NFC', 'NFD'] as const) {
        const other = join(dir.labels, `${stripExtension(rel).normalize(form)}.txt`)
        if (other === labelFile) continue
        try {
          text = readFileSync(other)
          labelFile = other
          break
        } catch {}
      }
    } else {
      ctx.errors.handle(
        new DatasetError('DATASET_IO_ERROR', 'cannot read label file', {
          file: labelFile,
          cause: error,
        }),
      )
      return undefined
    }
  }
  const size = readImageSizeSync(imagePath, ctx.exif)
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
    fileName: dir.prefix === '' ? rel : dir.prefix + rel,
    split: dir.split,
    width: size.width,
    height: size.height,
    path: imagePath,
    annotations: [],
  }
  if (text.length === 0) return img
  let start = 0
  let lineNo = 0
  while (start < text.length) {
    let end = text.indexOf(10, start)
    if (end === -1) end = text.length
    lineNo++
    const lineStart = start
    start = end + 1
    try {
      const ann = parse(text, lineStart, end, size.width, size.height)
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

type LineParser = (
  text: Uint8Array,
  start: number,
  end: number,
  width: number,
  height: number,
) => Annotation | undefined

const EMPTY = new Uint8Array(0)
const utf8 = new TextDecoder()

const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 13

/**
 * The numbers of one label line, `text[start, end)`, parsed in place (no line or token strings):
 * plain decimals as digits over a power of ten, anything else through `Number`. Throws a
 * LineError naming the first token that is not a number.
 */
function lineNumbers(
  text: Uint8Array,
  start: number,
  end: number,
  out: number[],
  digitsOut: number[],
  powOut: number[],
): number {
  let n = 0
  let i = start
  while (i < end) {
    while (i < end && isBlank(text[i]!)) i++
    if (i >= end) break
    const tokStart = i
    let int = 0
    let digits = 0
    let fracLen = -1
    let plain = true
    for (; i < end; i++) {
      const c = text[i]!
      if (isBlank(c)) break
      if (c >= 48 && c <= 57) {
        int = int * 10 + (c - 48)
        digits++
        if (fracLen >= 0) fracLen++
      } else if (c === 46 && fracLen < 0) fracLen = 0
      else plain = false
    }
    let value: number
    if (plain && digits > 0 && digits <= 15 && fracLen !== 0 && text[tokStart] !== 46) {
      const pow = fracLen < 0 ? 1 : POW10[fracLen]!
      value = int / pow
      digitsOut[n] = int
      powOut[n] = pow
    } else {
      powOut[n] = 0
      const token = utf8.decode(text.subarray(tokStart, i))
      value = Number(token)
      if (!Number.isFinite(value)) {
        throw new LineError('DATASET_SCHEMA_ERROR', `value '${token}' is not a number`)
      }
    }
    out[n++] = value
  }
  return n
}

function lineParser(
  task: YoloTask,
  ids: readonly number[],
  kptShape: [number, number] | undefined,
): LineParser {
  const nums: number[] = []
  const ints: number[] = []
  const pows: number[] = []
  /**
   * Value `i` times `size`, from its decimal digits when it had them: `digits × size / 10^k` is one
   * correctly rounded division, so a YOLO value with 6 decimals becomes the pixel coordinate it
   * stands for exactly (printed with at most 6 decimals), not `0.123456 × 640`'s binary noise.
   */
  const px = (i: number, size: number): number => {
    const pow = pows[i]!
    if (pow !== 0) {
      const num = ints[i]! * size
      if (num <= Number.MAX_SAFE_INTEGER) return num / pow
    }
    return nums[i]! * size
  }
  /** `(centre − size/2) × side` the same way: one division over a common denominator. */
  const corner = (c: number, w: number, side: number): number => {
    const pc = pows[c]!
    const pw = pows[w]!
    if (pc !== 0 && pw !== 0) {
      const den = 2 * Math.max(pc, pw)
      const num = ints[c]! * side * (den / pc) - ints[w]! * side * (den / (2 * pw))
      if (Math.abs(num) <= Number.MAX_SAFE_INTEGER) return num / den
    }
    return nums[c]! * side - (nums[w]! * side) / 2
  }
  return (text, start, end, W, H) => {
    const count = lineNumbers(text, start, end, nums, ints, pows)
    if (count === 0) return undefined
    const nc = ids.length
    const cls = nums[0]!
    if (!Number.isInteger(cls)) {
      throw new LineError('DATASET_SCHEMA_ERROR', `class '${cls}' is not an integer`)
    }
    if (cls < 0 || cls >= nc) {
      throw new LineError('DATASET_REFERENCE_ERROR', `class ${cls} is not in names (0..${nc - 1})`)
    }
    const n = count - 1
    const categoryId = ids[cls]!
    // Polygons, the bulk of the data: one tight loop, no copies, no closures.
    if (task !== 'pose' && task !== 'obb' && n >= 6 && n % 2 === 0) {
      const ring = new Array<number>(n)
      for (let i = 1; i <= n; i++) {
        const x = nums[i]!
        if (x < 0 || x > 1) checkRange(x, i - 1)
        const size = i % 2 === 1 ? W : H
        const pow = pows[i]!
        const num = pow !== 0 ? ints[i]! * size : Number.POSITIVE_INFINITY
        ring[i - 1] = num <= Number.MAX_SAFE_INTEGER ? num / pow : x * size
      }
      return { categoryId, polygons: [ring] }
    }
    const v = nums.slice(1, count)
    const box = (): [number, number, number, number] => {
      for (let i = 0; i < 4; i++) checkRange(v[i]!, i)
      return [corner(1, 3, W), corner(2, 4, H), px(3, W), px(4, H)]
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
        kps[i * 3] = px(5 + i * d, W)
        kps[i * 3 + 1] = px(6 + i * d, H)
        kps[i * 3 + 2] = vis
      }
      return { categoryId, bbox: box(), keypoints: kps }
    }
    if (task === 'obb') {
      if (n !== 8)
        throw new LineError('DATASET_SCHEMA_ERROR', `OBB line needs 9 values, has ${n + 1}`)
      return { categoryId, obb: scale(v, W, H, px) }
    }
    if (n === 4) return { categoryId, bbox: box() }
    if (n >= 6 && n % 2 === 0) return { categoryId, polygons: [scale(v, W, H, px)] }
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

function scale(
  v: number[],
  W: number,
  H: number,
  px: (i: number, size: number) => number,
): number[] {
  const out = new Array<number>(v.length)
  for (let i = 0; i < v.length; i++) {
    checkRange(v[i]!, i)
    out[i] = px(i + 1, i % 2 === 0 ? W : H)
  }
  return out
}

async function splitDirsFromYaml(
  root: string,
  data: YoloDataYaml,
): Promise<(YoloSplitDir | YoloImageList)[]> {
  let base = root
  if (data.path !== undefined) {
    const p = isAbsolute(data.path) ? data.path : join(root, data.path)
    if (await isDirectory(p)) base = p
  }
  const out: (YoloSplitDir | YoloImageList)[] = []
  const seen = new Set<string>()
  // Split name → the data.yaml key that gave it, so lists named alike under two keys stay apart.
  const splitKey = new Map<string, string>()
  const listSplit = (name: string, key: string): string => {
    for (const candidate of [name, key, `${key}-${name}`]) {
      const owner = splitKey.get(candidate)
      if (owner === undefined || owner === key) {
        splitKey.set(candidate, key)
        return candidate
      }
    }
    return `${key}-${name}`
  }
  for (const key of ['train', 'val', 'test'] as const) {
    const value = data[key]
    if (value === undefined || value === null) continue
    const many = Array.isArray(value)
    const entries = many ? value : [value]
    for (let i = 0; i < entries.length; i++) {
      const d = entries[i]!
      const images = isAbsolute(d) ? d : join(base, d)
      if (seen.has(images)) continue
      seen.add(images)
      // A folder that happens to end in `.txt` is still a folder, as Ultralytics decides by stat.
      if (d.toLowerCase().endsWith('.txt') && !(await isDirectory(images))) {
        out.push({
          split: listSplit(basename(images).slice(0, -4), key),
          list: images,
          jsonPath: many ? `$.${key}[${i}]` : `$.${key}`,
        })
        continue
      }
      const split = withRole(splitOfImagesDir(base, images, key), key)
      if (!splitKey.has(split)) splitKey.set(split, key)
      out.push({
        split,
        images,
        labels: labelsDirFor(images),
        prefix: '',
      })
    }
  }
  return out
}

/**
 * Reads the images an image list names into `dataset`. `./…` lines resolve against the list's
 * folder, as in Ultralytics; so do other relative lines (Ultralytics takes those from the working
 * directory, which makes a dataset depend on where it is read from); absolute paths stay as they are.
 * File names are relative to the deepest folder holding every listed image, so a list of
 * `./images/train2017/x.jpg` lines gives the same records as reading `images/train2017`.
 */
function readImageList(
  source: YoloImageList,
  yamlFile: string,
  dataset: Dataset,
  parse: LineParser,
  seen: Set<string>,
  ctx: ReadContext,
): void {
  let text: string
  try {
    text = readFileSync(source.list, 'utf8')
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
    throw new DatasetError(
      'DATASET_IO_ERROR',
      `${missing ? 'image list not found' : 'cannot read image list'}: ${source.list}`,
      { file: yamlFile, jsonPath: source.jsonPath, cause: error, details: { list: source.list } },
    )
  }
  const listDir = dirname(source.list)
  const found: string[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (line === '') continue
    const where = `${source.list}:${i + 1}`
    if (!isImageName(line)) {
      // Ultralytics drops such lines too; say so, since a typo would otherwise lose an image.
      ctx.report.warn('NOT_AN_IMAGE', 'image list line is not an image file name; ignored', where)
      continue
    }
    const path = isAbsolute(line) ? normalize(line) : join(listDir, line)
    if (seen.has(path)) {
      // Two records with one file name would collide in every output format.
      ctx.report.warn('DUPLICATE_IMAGE', 'image named twice in data.yaml; read once', where)
      continue
    }
    seen.add(path)
    if (!existsSync(path)) {
      ctx.errors.handle(
        new DatasetError('DATASET_REFERENCE_ERROR', `listed image not found: ${path}`, {
          file: source.list,
          line: i + 1,
        }),
      )
      continue
    }
    found.push(path)
  }
  // Sorted like a folder read (and like Ultralytics' own list loading), whatever the list order.
  found.sort()
  const common = commonSegments(found.map((p) => dirname(p).split(sep)))
  const dirs = dataset.imageDirs!
  if (found.length > 0) {
    const imagesRoot = common.length === 0 ? sep : common.join(sep) || sep
    dirs[source.split] = [...(dirs[source.split] ?? []), imagesRoot]
  }
  // One record source per image folder, so each image finds its labels by Ultralytics' rule.
  const folders = new Map<string, YoloSplitDir>()
  let id = dataset.images.length
  for (let index = 0; index < found.length; index++) {
    if ((index & 1023) === 1023) ctx.signal?.throwIfAborted()
    const path = found[index]!
    const folder = dirname(path)
    let dir = folders.get(folder)
    if (dir === undefined) {
      const below = folder.split(sep).slice(common.length)
      dir = {
        split: source.split,
        images: folder,
        labels: labelsDirFor(folder),
        prefix: below.length === 0 ? '' : `${below.join('/')}/`,
      }
      folders.set(folder, dir)
    }
    const r = readOne(basename(path), dir, parse, ctx)
    if (r === undefined) continue
    r.id = ++id
    dataset.images.push(r)
  }
}

/** The leading segments every one of `paths` shares. */
function commonSegments(paths: string[][]): string[] {
  if (paths.length === 0) return []
  let n = paths[0]!.length
  for (const p of paths) {
    let i = 0
    while (i < n && i < p.length && p[i] === paths[0]![i]) i++
    n = i
  }
  return paths[0]!.slice(0, n)
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
      .map((s) => ({
        split: s,
        images: join(images, s),
        labels: join(root, 'labels', s),
        prefix: '',
      }))
  }
  return [{ split: '', images, labels: join(root, 'labels'), prefix: '' }]
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

/**
 * Label files with no image: YOLO coordinates are fractions of the image size, so without the
 * image their objects cannot be placed. They are counted as read and as dropped, never as "nothing
 * lost", and the file stands in for the missing image.
 */
async function reportOrphanLabels(
  dir: YoloSplitDir,
  images: string[],
  ctx: ReadContext,
): Promise<void> {
  if (!(await isDirectory(dir.labels))) return
  const labels = await listFiles(dir.labels, (n) => n.endsWith('.txt'))
  if (labels.length === 0) return
  const stems = new Set(images.map((i) => stripExtension(i).normalize('NFC')))
  for (const l of labels) {
    const stem = l.slice(0, -4)
    if (stems.has(stem.normalize('NFC'))) continue
    const where = join(dir.labels, l)
    ctx.report.missingImage(where, `${stem} (${where})`)
    let objects = 0
    for (const line of readFileSync(where, 'utf8').split('\n')) {
      if (line.trim() !== '') objects++
    }
    ctx.report.report.read.annotations += objects
    ctx.report.loss(
      'dropped',
      'annotation',
      'its label file has no image, and YOLO coordinates need the image size',
      where,
      objects,
    )
  }
}
