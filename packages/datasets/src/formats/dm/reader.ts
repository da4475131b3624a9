import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ReadContext } from '../../context'
import { DatasetError } from '../../errors'
import { isDirectory, isImageName, listFiles, stripExtension } from '../../io/fs'
import { readImageSize } from '../../io/image-header'
import { parseJson } from '../../io/json'
import { parseWith } from '../../io/zod-error'
import { deferMaskBox, pixelIndicesBox } from '../../mask-box'
import type { Annotation, Attr, Category, Dataset, ImageRecord, Link, Rle } from '../../model'
import { imageKey } from '../../report'
import { pixelIndicesToRle, rleBox } from '../../rle'
import { isDmV2Data, isDmV2File } from './fast-validate'
import { rotatedBoxCorners } from './geometry'
import { findDmSplits } from './layout'
import {
  DM_V2_TOOLS,
  type DmV2File,
  type DmV2Item,
  type DmV2Tool,
  dmV1FileSchema,
  dmV2DataSchemas,
  dmV2FileSchema,
} from './schema'
import { dmV1ToV2, v1DataPath } from './v1-v2'

/** A parsed DM file, v1 or v2 (v1 is converted to v2 on the way in). */
export function parseDmDocument(
  value: unknown,
  file: string,
  dropped: Map<string, number>,
): { v2: DmV2File; version: 'v1' | 'v2' } {
  let doc = value
  if (typeof doc === 'object' && doc !== null && 'annotation_data' in doc) {
    doc = (doc as { annotation_data: unknown }).annotation_data
  }
  if (typeof doc === 'object' && doc !== null && 'images' in doc) {
    return { v2: isDmV2File(doc) ? doc : parseWith(dmV2FileSchema, doc, file), version: 'v2' }
  }
  if (typeof doc === 'object' && doc !== null && 'annotations' in doc) {
    const v1 = parseWith(dmV1FileSchema, doc, file)
    return { v2: dmV1ToV2(v1, dropped), version: 'v1' }
  }
  throw new DatasetError(
    'DATASET_SCHEMA_ERROR',
    'neither DM v2 (images[]) nor DM v1 (annotations{})',
    {
      file,
      jsonPath: '$',
    },
  )
}

/** A DM id of 1 to 15 digits as a number (COCO and YOLO ids are numbers), anything else as is. */
function idOf(id: string): number | string {
  if (id.length === 0 || id.length > 15) return id
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i)
    if (c < 48 || c > 57) return id
  }
  return Number(id)
}

const attrValue = (attrs: readonly Attr[] | undefined, name: string): unknown =>
  attrs?.find((a) => a.name === name)?.value

/** Reads a DM dataset (v1 or v2 files, categorized or not) into the hub model. */
export async function readDm(input: string, ctx: ReadContext): Promise<Dataset> {
  const splits = await findDmSplits(input)
  const classes = new CategoryOrder()
  const category = (name: string): Category => classes.get(name, false)
  const dataset: Dataset = { categories: [], images: [], imageDirs: {} }
  const droppedTools = new Map<string, number>()
  for (const dir of splits) {
    dataset.imageDirs![dir.split] = [dir.originals]
    const jsonFiles = await listFiles(dir.json, (n) => n.endsWith('.json'))
    const originals = (await isDirectory(dir.originals))
      ? await listFiles(dir.originals, isImageName)
      : []
    // NFC on both sides: macOS writes NFD names, so 'é' in a JSON stem may not match the file.
    const imageByStem = new Map(originals.map((f) => [stripExtension(f).normalize('NFC'), f]))
    // Blocking reads in file order (thousands of small files in the page cache: several times
    // faster than thread-pool round trips), and each file becomes its image record before the
    // next is read, so no parsed document lives on to be promoted by the GC.
    for (let i = 0; i < jsonFiles.length; i++) {
      if ((i & 1023) === 1023) ctx.signal?.throwIfAborted()
      const rel = jsonFiles[i]!
      const file = join(dir.json, rel)
      let v2: DmV2File
      try {
        v2 = parseDmDocument(parseJson(readFileSync(file, 'utf8'), file), file, droppedTools).v2
      } catch (error) {
        ctx.errors.handle(error)
        continue
      }
      if (v2.classification !== undefined) {
        for (const names of Object.values(v2.classification)) classes.list(names)
      }
      const stem = rel.slice(0, -5)
      const imageRel = imageByStem.get(stem.normalize('NFC'))
      const img: ImageRecord = {
        id: dataset.images.length + 1,
        fileName: imageRel ?? `${stem}.jpg`,
        split: dir.split,
        annotations: [],
      }
      if (imageRel !== undefined) img.path = join(dir.originals, imageRel)
      else ctx.report.missingImage(imageKey(img), `${stem} (${file})`)
      if (v2.images.length > 1) {
        ctx.report.loss(
          'dropped',
          'DM image',
          'only the first entry of images[] has an image file',
          file,
          v2.images.length - 1,
        )
      }
      const first = v2.images[0]
      if (first !== undefined) await addDmImage(first, img, file, category, ctx)
      dataset.images.push(img)
      ctx.report.report.read.annotations += img.annotations.length
    }
    classes.endSplit()
  }
  dataset.categories = classes.finish(dataset.images)
  for (const [tool, n] of droppedTools) {
    ctx.report.loss('dropped', `DM v1 tool '${tool}'`, 'no image meaning', undefined, n)
  }
  ctx.report.report.read.images = dataset.images.length
  ctx.report.report.read.categories = dataset.categories.length
  return dataset
}

/**
 * Category ids 1..N in the order DM datasets define, split by split: the names of the split's
 * `classification` lists first (in file order), then names met only on its items. Files are read
 * one at a time, so names get provisional ids as they come; {@link endSplit} fixes each split's
 * order and {@link finish} renumbers once at the end.
 */
class CategoryOrder {
  private readonly byName = new Map<string, Category>()
  private readonly ordered: Category[] = []
  private readonly placed = new Set<Category>()
  // The split being read: names its lists hold, and new names met only on items.
  private listed: Category[] = []
  private listedNames = new Set<string>()
  private unlisted: Category[] = []

  // The split's lists seen last: every file of a split usually repeats the same ones.
  private lastLists: (readonly string[])[] = []

  /** Lists the names of one `classification` list of the current split's files. */
  list(names: readonly string[]): void {
    // A list equal to one met before adds nothing: string comparisons instead of set lookups.
    for (const seen of this.lastLists) if (sameNames(seen, names)) return
    for (const n of names) if (!this.listedNames.has(n)) this.get(n, true)
    if (this.lastLists.length >= 4) this.lastLists.shift()
    this.lastLists.push(names)
  }

  /** The category named `name`; `listed` when the name comes from a `classification` list. */
  get(name: string, listed: boolean): Category {
    let c = this.byName.get(name)
    if (c === undefined) {
      c = { id: this.byName.size + 1, name }
      this.byName.set(name, c)
      if (!listed) this.unlisted.push(c)
    }
    if (listed && !this.listedNames.has(name)) {
      this.listedNames.add(name)
      this.listed.push(c)
    }
    return c
  }

  /** Fixes the order of the names the current split brought. */
  endSplit(): void {
    for (const c of [...this.listed, ...this.unlisted]) {
      if (this.placed.has(c)) continue
      this.placed.add(c)
      this.ordered.push(c)
    }
    this.listed = []
    this.listedNames = new Set()
    this.unlisted = []
    this.lastLists = []
  }

  /** The categories in their final order, with the annotations of `images` renumbered to match. */
  finish(images: readonly ImageRecord[]): Category[] {
    this.endSplit()
    const finalId = new Map<number, number>()
    let changed = false
    for (let i = 0; i < this.ordered.length; i++) {
      const c = this.ordered[i]!
      finalId.set(c.id, i + 1)
      if (c.id !== i + 1) changed = true
      c.id = i + 1
    }
    if (changed) {
      for (const img of images) {
        for (const a of img.annotations) a.categoryId = finalId.get(a.categoryId as number)!
      }
    }
    return this.ordered
  }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Turns one DM v2 image entry into hub annotations, folding side-channel items into parents. */
async function addDmImage(
  image: Record<string, DmV2Item[]>,
  img: ImageRecord,
  file: string,
  category: (name: string) => Category,
  ctx: ReadContext,
): Promise<void> {
  const byId = new Map<string, Annotation>()
  const later: { tool: DmV2Tool; item: DmV2Item; data: unknown }[] = []
  const links: Link[] = []
  let size: [number, number] | undefined
  for (const [tool, items] of Object.entries(image)) {
    if (!(DM_V2_TOOLS as string[]).includes(tool)) {
      ctx.report.loss(
        'dropped',
        `DM tool '${tool}'`,
        'no image meaning this package converts',
        file,
        items.length,
      )
      continue
    }
    const t = tool as DmV2Tool
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!
      try {
        const data = isDmV2Data(t, item.data)
          ? item.data
          : parseWith(
              dmV2DataSchemas[t],
              item.data,
              file,
              v1DataPath.get(item) ?? ['images', 0, tool, i, 'data'],
            )
        if (t === 'relation' || t === 'group') {
          const link: Link = {
            id: item.id,
            kind: t,
            classification: item.classification,
            ids: data as string[],
          }
          const attrs = (item.attrs ?? []) as Attr[]
          if (attrs.length > 0) link.attrs = attrs
          links.push(link)
          continue
        }
        const attrs = item.attrs as Attr[] | undefined
        if (
          (t === 'polygon' && attrValue(attrs, '_ring_of') !== undefined) ||
          (t === 'keypoint' && attrValue(attrs, '_parent') !== undefined)
        ) {
          later.push({ tool: t, item, data })
          continue
        }
        let ann: Annotation
        if (t === 'segmentation') {
          const s = attrValue(attrs, '_size')
          if (Array.isArray(s) && s.length === 2) size = [Number(s[0]), Number(s[1])]
          if (size === undefined && img.path !== undefined) {
            const header = await readImageSize(img.path, ctx.exif)
            if (header !== undefined) size = [header.height, header.width]
          }
          // Without the size the indices cannot become a mask, but DM → DM needs none.
          ann =
            size === undefined
              ? { categoryId: 0, pixelIndices: data as number[] }
              : lazyRle(data as number[], size[0], size[1])
        } else ann = geometry(t, data, attrs)
        ann.categoryId = category(item.classification).id
        ann.id = idOf(item.id)
        applySideChannels(ann, attrs)
        if (byId.has(item.id)) {
          ctx.report.warn(
            'DUPLICATE_ANNOTATION_ID',
            'duplicate DM id kept as a separate annotation',
            `${file}#${item.id}`,
          )
        }
        byId.set(item.id, ann)
        img.annotations.push(ann)
      } catch (error) {
        ctx.errors.handle(error)
      }
    }
  }
  for (const { tool, item, data } of later) {
    const attrs = item.attrs as Attr[] | undefined
    if (tool === 'polygon') {
      const parent = byId.get(String(attrValue(attrs, '_ring_of')))
      const ring = flatPairs(data as [number, number][])
      if (parent?.polygons !== undefined) parent.polygons.push(ring)
      else
        img.annotations.push({
          id: idOf(item.id),
          categoryId: category(item.classification).id,
          polygons: [ring],
        })
    } else {
      const parent = byId.get(String(attrValue(attrs, '_parent')))
      const index = Number(attrValue(attrs, '_index'))
      const v = Number(attrValue(attrs, '_v') ?? 2)
      const [x, y] = data as number[]
      if (parent !== undefined && Number.isInteger(index) && index >= 0) {
        parent.keypoints ??= []
        const kp = parent.keypoints
        while (kp.length < index * 3 + 3) kp.push(0)
        kp[index * 3] = x!
        kp[index * 3 + 1] = y!
        kp[index * 3 + 2] = v
      } else {
        img.annotations.push({
          id: idOf(item.id),
          categoryId: category(item.classification).id,
          point: [x!, y!],
        })
      }
    }
  }
  for (const ann of img.annotations) {
    const n = Number(ann.keypoints === undefined ? 0 : attrValueNum(ann, '_num_keypoints'))
    if (ann.keypoints !== undefined && n * 3 > ann.keypoints.length) {
      while (ann.keypoints.length < n * 3) ann.keypoints.push(0)
    }
    if (ann.attrs !== undefined) {
      ann.attrs = ann.attrs.filter((a) => !a.name.startsWith('_'))
      if (ann.attrs.length === 0) delete ann.attrs
    }
  }
  if (links.length > 0) img.links = links
}

function attrValueNum(ann: Annotation, name: string): number {
  const v = attrValue(ann.attrs, name)
  return typeof v === 'number' ? v : 0
}

function geometry(tool: DmV2Tool, data: unknown, attrs: Attr[] | undefined): Annotation {
  switch (tool) {
    case 'bounding_box': {
      const [x, y, w, h] = data as [number, number, number, number]
      const rotation = attrValue(attrs, 'rotation')
      if (typeof rotation === 'number' && rotation !== 0) {
        return {
          categoryId: 0,
          obb: rotatedBoxCorners(x, y, w, h, rotation),
          rotatedBox: { box: [x, y, w, h], rotation },
        }
      }
      return { categoryId: 0, bbox: [x, y, w, h] }
    }
    case 'polygon': {
      const ring = flatPairs(data as [number, number][])
      if (attrValue(attrs, '_obb') === true && ring.length === 8)
        return { categoryId: 0, obb: ring }
      return { categoryId: 0, polygons: [ring] }
    }
    case 'polyline':
      return { categoryId: 0, polyline: flatPairs(data as [number, number][]) }
    default: {
      const [x, y] = data as number[]
      return { categoryId: 0, point: [x!, y!] }
    }
  }
}

/** Puts the `_`-prefixed attrs this package writes back into hub fields. */
function applySideChannels(ann: Annotation, attrs: Attr[] | undefined): void {
  if (attrs === undefined) return
  const user: Attr[] = []
  for (const a of attrs) {
    switch (a.name) {
      case '_bbox':
        if (
          Array.isArray(a.value) &&
          a.value.length === 4 &&
          a.value.every((v) => typeof v === 'number')
        ) {
          ann.bbox = a.value as [number, number, number, number]
        }
        break
      case '_area':
        if (typeof a.value === 'number') ann.area = a.value
        break
      case '_iscrowd':
        if (a.value === 1 || a.value === true) ann.iscrowd = true
        break
      case '_rle_compressed':
        if (a.value === true) ann.rleCompressed = true
        break
      case '_num_keypoints':
        user.push(a)
        break
      case '_keypoints_only':
        delete ann.bbox
        break
      case 'rotation':
        if (ann.obb === undefined) user.push(a)
        break
      default:
        if (!a.name.startsWith('_')) user.push(a)
    }
  }
  if (user.length > 0) ann.attrs = user
}

/** `[[x, y], …]` → `[x, y, …]` (a plain loop: `flat()` was a measurable share of reading). */
function flatPairs(pairs: readonly (readonly [number, number])[]): number[] {
  const out = new Array<number>(pairs.length * 2)
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i]!
    out[2 * i] = p[0]
    out[2 * i + 1] = p[1]
  }
  return out
}

/**
 * An annotation whose RLE is built from the pixel indices on first use. Turning pixel lists into
 * column-major runs means sorting every foreground pixel; a conversion that skips crowd regions
 * (the YOLO default) never pays for it.
 */
function lazyRle(indices: number[], height: number, width: number): Annotation {
  const ann: Annotation = { categoryId: 0 }
  let rle: Rle | undefined
  Object.defineProperty(ann, 'rle', {
    enumerable: true,
    configurable: true,
    get: () => {
      rle ??= pixelIndicesToRle(indices, height, width)
      return rle
    },
    set: (value: Rle | undefined) => {
      rle = value
    },
  })
  let box: [number, number, number, number] | undefined
  deferMaskBox(ann, () => {
    box ??= rle === undefined ? pixelIndicesBox(indices, width) : rleBox(rle)
    return box
  })
  return ann
}
