/**
 * Shared harness of the `dataset-*` benchmarks: the derived workloads (made once from W1 by the
 * package's own converter), the floor measurements and the interleaved timing loop.
 *
 * floor = reading the input files + parsing/scanning them + writing the same output files (same
 * count, same bytes), each done the fastest plain way, measured in the same process and run as the
 * conversion. ratio = floor / conversion time (1.0 would be "as fast as the disk and the parser").
 */

import { execSync } from 'node:child_process'
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  writeFile,
  writeFileSync,
} from 'node:fs'
import { dirname, join } from 'node:path'
import { convert } from '@synapse/datasets'
import { median } from './bench-result'
import { checkSha, DATA_DIR, ensureW1, w1Images, writeImageStubs } from './dataset-workload'

export interface OutputFile {
  rel: string
  data: Buffer
}

/** Every file under `root` with its bytes (to replay as the floor's writes). */
export function snapshot(root: string): OutputFile[] {
  const out: OutputFile[] = []
  const walk = (dir: string, prefix: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix === '' ? e.name : `${prefix}/${e.name}`
      if (e.isDirectory()) walk(join(dir, e.name), rel)
      else if (e.isFile()) out.push({ rel, data: readFileSync(join(dir, e.name)) })
    }
  }
  walk(root, '')
  return out
}

/** Writes the files into `dest` the fastest plain way: folders once, 64 callback writes in flight. */
export async function writeFloor(files: readonly OutputFile[], dest: string): Promise<void> {
  const dirs = new Set(files.map((f) => dirname(join(dest, f.rel))))
  for (const d of dirs) mkdirSync(d, { recursive: true })
  await new Promise<void>((resolve, reject) => {
    let next = 0
    let active = 0
    let done = 0
    if (files.length === 0) resolve()
    const pump = (): void => {
      while (active < 64 && next < files.length) {
        const f = files[next++]!
        active++
        writeFile(join(dest, f.rel), f.data, (error) => {
          if (error) return reject(error)
          active--
          done++
          if (done === files.length) resolve()
          else pump()
        })
      }
    }
    pump()
  })
}

/**
 * Reads many files one after another with blocking reads, handing each to `use`. From the page
 * cache (where every timed run reads from) this is the fastest plain way: measured ~46 ms for the
 * 5,000 VOC files against ~94 ms with 64 callback reads in flight, whose thread-pool round trips
 * compete for the two cores. The readers use the same, so the floor is never the slower path.
 */
export async function readMany(
  paths: readonly string[],
  use: (data: Buffer) => void,
): Promise<void> {
  for (const p of paths) use(readFileSync(p))
}

/** Reads the first 4 KiB of each file (the image-header read), blocking, as the readers do. */
export async function readHeaders(paths: readonly string[]): Promise<void> {
  const head = Buffer.allocUnsafe(4096)
  for (const p of paths) {
    const fd = openSync(p, 'r')
    try {
      readSync(fd, head, 0, 4096, 0)
    } finally {
      closeSync(fd)
    }
  }
}

/** Touches every number of a text file: the least a reader of YOLO lines must do. */
export function scanNumbers(text: string): number {
  let sum = 0
  let start = 0
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 10
    if (c === 32 || c === 10) {
      if (i > start) sum += Number(text.slice(start, i))
      start = i + 1
    }
  }
  return sum
}

/**
 * Takes every element's text out of an XML text and parses it as a number: the least a VOC reader
 * must do, as `scanNumbers` is for YOLO lines and `JSON.parse` for JSON (each parses every value).
 * Generic: no element names, no structure, no checks.
 */
export function scanXmlValues(text: string): number {
  let sum = 0
  let i = text.indexOf('<')
  while (i !== -1) {
    const gt = text.indexOf('>', i + 1)
    if (gt === -1) break
    const next = text.indexOf('<', gt + 1)
    if (next === -1) break
    if (next > gt + 1 && text.charCodeAt(next + 1) === 0x2f) {
      const v = Number(text.slice(gt + 1, next))
      if (!Number.isNaN(v)) sum += v
    }
    i = next
  }
  return sum
}

export function listRecursive(root: string, ext: string): string[] {
  const out: string[] = []
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name))
      else if (e.name.endsWith(ext)) out.push(join(dir, e.name))
    }
  }
  walk(root)
  return out.sort()
}

/** W1 with header-only image stubs in `images/val2017/` (W3), as the COCO input of derived sets. */
export function ensureW1WithImages(): { file: string; root: string; sha256: string } {
  const { file, root, doc } = ensureW1()
  const sha256 = checkSha('w1', file)
  const imageDir = join(root, 'images', 'val2017')
  if (!existsSync(join(imageDir, '.done'))) {
    writeImageStubs(imageDir, doc?.images ?? w1Images(file))
    writeFileSync(join(imageDir, '.done'), '')
  }
  return { file, root, sha256 }
}

/** A derived set of W1 in `format`, made once by the converter (images hard-linked when kept). */
export async function ensureDerived(
  format: 'yolo' | 'voc' | 'dm_v2',
  images: 'link' | 'none',
): Promise<string> {
  const dir = join(DATA_DIR, `w1-${format}`)
  if (existsSync(dir)) return dir
  const { root } = ensureW1WithImages()
  await convert({ from: 'coco', to: format, input: root, output: dir, images, task: 'segment' })
  return dir
}

export interface Timing {
  convert: number[]
  floor: number[]
}

/**
 * Both measurements start from the same state: page cache written back (a run's file creation
 * otherwise waits on the previous run's journal commits, seconds on this disk) and a fresh heap.
 */
function settle(gc: (() => void) | undefined): void {
  execSync('sync')
  gc?.()
}

/**
 * Alternates floor and conversion `runs` times (so load on the machine hits both alike), with a
 * GC before each, and returns every time in ms. Each run writes into its own fresh folder and
 * nothing is deleted until the end: the disk here is ext4 mounted with `discard`, and deleting
 * thousands of files between runs stalled the next run's file creation by seconds.
 */
export async function timeInterleaved(
  runs: number,
  floor: (dest: string) => Promise<void>,
  run: (dest: string) => Promise<void>,
  scratchDir: string,
): Promise<Timing> {
  const t: Timing = { convert: [], floor: [] }
  const gc = (globalThis as { gc?: () => void }).gc
  for (let i = 0; i < runs; i++) {
    settle(gc)
    let s = performance.now()
    await floor(join(scratchDir, `floor-${i}`))
    t.floor.push(performance.now() - s)
    settle(gc)
    s = performance.now()
    await run(join(scratchDir, `run-${i}`))
    t.convert.push(performance.now() - s)
  }
  rmSync(scratchDir, { recursive: true, force: true })
  return t
}

export function summarize(t: Timing): { value: number; floor: number; ratio: number } {
  const value = median(t.convert)
  const floor = median(t.floor)
  return {
    value: round(value),
    floor: round(floor),
    ratio: Math.round((floor / value) * 1000) / 1000,
  }
}

export const round = (n: number): number => Math.round(n * 10) / 10

/** An empty scratch folder for one benchmark; waits for the disk to settle after clearing it. */
export function scratch(name: string): string {
  const dir = join(DATA_DIR, 'out', name)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  execSync('sync')
  return dir
}

/**
 * Times `floor` against `run` twice: writing to the project's disk (the figure the issue asks
 * for) and writing to tmpfs (`/dev/shm`, when there is one), which takes the disk's moods out and
 * leaves the CPU work. On this machine the disk is ext4 with `discard`, and file creation speed
 * swings several-fold with what ran before; the tmpfs figure shows what the code itself costs.
 */
export async function timeBoth(
  name: string,
  runs: number,
  floor: (dest: string) => Promise<void>,
  run: (dest: string) => Promise<void>,
): Promise<{ disk: Timing; tmpfs: Timing | undefined }> {
  const disk = await timeInterleaved(runs, floor, run, scratch(`${name}-runs`))
  let tmpfs: Timing | undefined
  if (existsSync('/dev/shm')) {
    const dir = join('/dev/shm', 'synapse-bench', name)
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    tmpfs = await timeInterleaved(runs, floor, run, dir)
  }
  return { disk, tmpfs }
}
