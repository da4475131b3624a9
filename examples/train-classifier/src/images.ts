import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { parse } from 'yaml'
import { decodePng, type GreyImage } from './png'

/** Side of the square every crop is resampled to: the model's input is `CROP × CROP`. */
export const CROP = 12

/** Labelled crops as model inputs: one row of grey levels scaled to 0..1 per box. */
export interface CropSet {
  classes: string[]
  inputs: Float32Array[]
  labels: number[]
  /** `image.png#n` for each crop, for error messages and results. */
  sources: string[]
}

/** A box in pixels: left, top, width, height. */
export type Box = [number, number, number, number]

/**
 * Reads one split of a YOLO detection dataset (`data.yaml`, `images/<split>/`,
 * `labels/<split>/`) as one crop per box. Class order is `data.yaml`'s `names`, or `classes`
 * when given (a model's own), by name. `undefined` when the dataset has no such split.
 */
export async function readCrops(
  root: string,
  split: string,
  classes?: readonly string[],
): Promise<CropSet | undefined> {
  const yamlFile = join(root, 'data.yaml')
  const names = namesOf(parse(await readFile(yamlFile, 'utf8')), yamlFile)
  const order = classes === undefined ? names : [...classes]
  const imageDir = join(root, 'images', split)
  if (!existsSync(imageDir)) return undefined
  const set: CropSet = { classes: order, inputs: [], labels: [], sources: [] }
  for (const file of (await readdir(imageDir)).sort()) {
    if (extname(file).toLowerCase() !== '.png') continue
    const imagePath = join(imageDir, file)
    const image = decodePng(await readFile(imagePath), imagePath)
    const labelFile = join(root, 'labels', split, `${basename(file, extname(file))}.txt`)
    if (!existsSync(labelFile)) continue
    const lines = (await readFile(labelFile, 'utf8')).split('\n')
    for (const [n, line] of lines.entries()) {
      if (line.trim() === '') continue
      const [cls, cx, cy, w, h] = line.trim().split(/\s+/).map(Number)
      const name = names[cls!]
      if (
        name === undefined ||
        [cx, cy, w, h].some((v) => v === undefined || !Number.isFinite(v))
      ) {
        throw new Error(
          `${labelFile}:${n + 1}: expected 'class cx cy w h' with a class of ${yamlFile}`,
        )
      }
      const label = order.indexOf(name)
      if (label === -1)
        throw new Error(`${labelFile}:${n + 1}: class '${name}' is not one of ${order.join(', ')}`)
      const box: Box = [
        (cx! - w! / 2) * image.width,
        (cy! - h! / 2) * image.height,
        w! * image.width,
        h! * image.height,
      ]
      set.inputs.push(cropInput(image, box))
      set.labels.push(label)
      set.sources.push(`${imagePath}#${n + 1}`)
    }
  }
  if (set.inputs.length === 0) throw new Error(`${imageDir}: no labelled boxes in this split`)
  return set
}

/** The box resampled (bilinear) to `CROP × CROP`, grey levels scaled to 0..1. */
export function cropInput(image: GreyImage, box: Box): Float32Array {
  const [x0, y0, w, h] = box
  const out = new Float32Array(CROP * CROP)
  const at = (x: number, y: number) => {
    const cx = Math.min(image.width - 1, Math.max(0, x))
    const cy = Math.min(image.height - 1, Math.max(0, y))
    return image.pixels[cy * image.width + cx]!
  }
  for (let j = 0; j < CROP; j++) {
    for (let i = 0; i < CROP; i++) {
      // Pixel centres of the crop mapped into the image, then interpolated.
      const sx = x0 + ((i + 0.5) * w) / CROP - 0.5
      const sy = y0 + ((j + 0.5) * h) / CROP - 0.5
      const fx = Math.floor(sx)
      const fy = Math.floor(sy)
      const ax = sx - fx
      const ay = sy - fy
      const top = at(fx, fy) * (1 - ax) + at(fx + 1, fy) * ax
      const bottom = at(fx, fy + 1) * (1 - ax) + at(fx + 1, fy + 1) * ax
      out[j * CROP + i] = (top * (1 - ay) + bottom * ay) / 255
    }
  }
  return out
}

/** A PNG file, and a box in it (the whole image when none is given), as a model input. */
export async function readInput(path: string, box?: Box): Promise<Float32Array> {
  const image = decodePng(await readFile(path), path)
  return cropInput(image, box ?? [0, 0, image.width, image.height])
}

function namesOf(yaml: unknown, file: string): string[] {
  const names = (yaml as { names?: unknown } | null)?.names
  if (Array.isArray(names)) return names.map(String)
  if (typeof names === 'object' && names !== null) {
    const entries = Object.entries(names).sort(([a], [b]) => Number(a) - Number(b))
    return entries.map(([, v]) => String(v))
  }
  throw new Error(`${file}: no 'names' list`)
}
