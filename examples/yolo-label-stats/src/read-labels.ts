import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface Box {
  file: string
  line: number
  classId: number
  cx: number
  cy: number
  w: number
  h: number
}

export interface BadLine {
  file: string
  line: number
  text: string
  reason: string
}

export interface LabelSet {
  files: string[]
  emptyFiles: string[]
  boxes: Box[]
  bad: BadLine[]
}

/** The class names of classes.txt (one per line), or an empty list when there is none. */
export async function readClassNames(path: string | undefined): Promise<string[]> {
  if (path === undefined) return []
  const text = await readFile(path, 'utf8')
  return text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

/**
 * Reads every `*.txt` under `dir` as YOLO detection labels (`class cx cy w h`, normalised).
 * Lines that do not parse, or whose values are out of range, are collected, not thrown.
 */
export async function readLabels(
  dir: string,
  classCount: number,
  onFile?: (done: number, total: number) => void,
): Promise<LabelSet> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.txt')).sort()
  const set: LabelSet = { files, emptyFiles: [], boxes: [], bad: [] }
  for (const [index, file] of files.entries()) {
    const text = await readFile(join(dir, file), 'utf8')
    const lines = text.split(/\r?\n/)
    let boxes = 0
    for (const [i, raw] of lines.entries()) {
      const textLine = raw.trim()
      if (textLine === '') continue
      const reason = checkLine(textLine, classCount)
      if (typeof reason === 'string') {
        set.bad.push({ file, line: i + 1, text: textLine, reason })
        continue
      }
      set.boxes.push({ file, line: i + 1, ...reason })
      boxes++
    }
    if (boxes === 0 && !set.bad.some((b) => b.file === file)) set.emptyFiles.push(file)
    onFile?.(index + 1, files.length)
  }
  return set
}

/** The box on a label line, or why the line is not one. */
function checkLine(text: string, classCount: number): Omit<Box, 'file' | 'line'> | string {
  const parts = text.split(/\s+/)
  if (parts.length !== 5) return `expected 5 values, found ${parts.length}`
  const [classId, cx, cy, w, h] = parts.map(Number) as [number, number, number, number, number]
  if (!Number.isInteger(classId) || classId < 0) return 'class id is not a non-negative integer'
  if (classCount > 0 && classId >= classCount) {
    return `class id ${classId} has no name (${classCount} classes)`
  }
  const coords = [cx, cy, w, h]
  if (coords.some((v) => !Number.isFinite(v))) return 'a coordinate is not a number'
  if (coords.some((v) => v < 0 || v > 1)) return 'a coordinate is outside [0, 1]'
  if (w === 0 || h === 0) return 'zero-size box'
  return { classId, cx, cy, w, h }
}
