import { readdir, readFile } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { decodePng } from './png'

/** Labelled images as model inputs: one row of grey levels scaled to 0..1 per image. */
export interface ImageSet {
  classes: string[]
  inputs: Float32Array[]
  labels: number[]
  files: string[]
  width: number
  height: number
}

/**
 * Reads one split of a YOLO classification folder (`<root>/<split>/<class>/<image>.png`). Every
 * image must have the size of the first; class order is the sorted folder names, as Ultralytics
 * numbers them (or `classes` when given, so a model's own order is kept).
 */
export async function readSplit(
  root: string,
  split: string,
  classes?: readonly string[],
): Promise<ImageSet> {
  const dir = join(root, split)
  const found = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
  const order = classes === undefined ? found : [...classes]
  const set: ImageSet = { classes: order, inputs: [], labels: [], files: [], width: 0, height: 0 }
  for (const name of found) {
    const label = order.indexOf(name)
    if (label === -1)
      throw new Error(`${join(dir, name)}: class '${name}' is not one of ${order.join(', ')}`)
    for (const file of (await readdir(join(dir, name))).sort()) {
      if (extname(file).toLowerCase() !== '.png') continue
      const path = join(dir, name, file)
      const image = await readImage(path)
      if (set.files.length === 0) {
        set.width = image.width
        set.height = image.height
      } else if (image.width !== set.width || image.height !== set.height) {
        throw new Error(
          `${path}: ${image.width}×${image.height}, expected ${set.width}×${set.height} like the first image`,
        )
      }
      set.inputs.push(image.input)
      set.labels.push(label)
      set.files.push(path)
    }
  }
  if (set.files.length === 0) throw new Error(`${dir}: no .png images in its class folders`)
  return set
}

/** One image as a model input row. */
export async function readImage(
  path: string,
): Promise<{ input: Float32Array; width: number; height: number }> {
  const image = decodePng(await readFile(path), path)
  const input = new Float32Array(image.pixels.length)
  for (let i = 0; i < input.length; i++) input[i] = image.pixels[i]! / 255
  return { input, width: image.width, height: image.height }
}
