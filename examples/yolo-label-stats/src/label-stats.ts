import { join } from 'node:path'
import { defineAction } from '@synapse/core'
import { z } from 'zod'
import { readClassNames, readLabels } from './read-labels'

const dataDir = join(import.meta.dirname, '..', 'data')

export const LabelStatsParams = z.object({
  labels: z.string().default(join(dataDir, 'labels')).describe('Folder of YOLO label files'),
  classes: z
    .string()
    .optional()
    .describe('classes.txt with one class name per line; default: the example data'),
  maxBadLines: z.number().int().min(0).default(20).describe('How many bad lines to list'),
})

export const LabelStatsResult = z.object({
  files: z.number().int(),
  emptyFiles: z.number().int(),
  boxes: z.number().int(),
  perClass: z.record(z.string(), z.number().int()),
  boxSize: z.object({
    meanW: z.number(),
    meanH: z.number(),
    minArea: z.number(),
    maxArea: z.number(),
  }),
  badLines: z.number().int(),
  examples: z.array(z.object({ where: z.string(), reason: z.string() })),
})

/** Counts boxes per class, measures their sizes, and lists every malformed line with file:line. */
export const labelStats = defineAction(
  {
    description: 'Statistics over a folder of YOLO label files',
    params: LabelStatsParams,
    result: LabelStatsResult,
  },
  async (params, ctx) => {
    const classesPath =
      params.classes ??
      (params.labels === join(dataDir, 'labels') ? join(dataDir, 'classes.txt') : undefined)
    const names = await readClassNames(classesPath)
    ctx.logMessage(`Reading labels from ${params.labels}`)
    const set = await readLabels(params.labels, names.length, (done, total) => {
      ctx.throwIfCancelled()
      ctx.setProgress(done, total, 'read')
    })
    const perClass: Record<string, number> = {}
    let sumW = 0
    let sumH = 0
    let minArea = Number.POSITIVE_INFINITY
    let maxArea = 0
    for (const box of set.boxes) {
      const name = names[box.classId] ?? `class_${box.classId}`
      perClass[name] = (perClass[name] ?? 0) + 1
      sumW += box.w
      sumH += box.h
      minArea = Math.min(minArea, box.w * box.h)
      maxArea = Math.max(maxArea, box.w * box.h)
    }
    const n = Math.max(1, set.boxes.length)
    ctx.setMetrics({ boxes: set.boxes.length, badLines: set.bad.length }, 'read')
    for (const bad of set.bad.slice(0, params.maxBadLines)) {
      ctx.logger.warning(`${bad.file}:${bad.line}: ${bad.reason}`, { text: bad.text })
    }
    return {
      files: set.files.length,
      emptyFiles: set.emptyFiles.length,
      boxes: set.boxes.length,
      perClass,
      boxSize: {
        meanW: round(sumW / n),
        meanH: round(sumH / n),
        minArea: set.boxes.length ? round(minArea) : 0,
        maxArea: round(maxArea),
      },
      badLines: set.bad.length,
      examples: set.bad
        .slice(0, params.maxBadLines)
        .map((b) => ({ where: `${b.file}:${b.line}`, reason: b.reason })),
    }
  },
)

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6
}
