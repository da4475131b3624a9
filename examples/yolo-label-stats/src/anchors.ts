import { join } from 'node:path'
import { BaseAction } from '@synapse/core'
import { z } from 'zod'
import { readLabels } from './read-labels'

export const AnchorsParams = z.object({
  labels: z.string().default(join(import.meta.dirname, '..', 'data', 'labels')),
  k: z.number().int().min(1).max(20).default(6).describe('Number of anchors'),
  imageSize: z.number().int().min(32).default(640).describe('Training image size in pixels'),
  iterations: z.number().int().min(1).max(10_000).default(300),
  seed: z.number().int().default(1),
})

export const AnchorsResult = z.object({
  anchors: z.array(z.tuple([z.number(), z.number()])),
  meanIoU: z.number(),
  recallAt25: z.number(),
  boxes: z.number().int(),
  iterations: z.number().int(),
})

type Wh = [number, number]

/**
 * Fits anchor boxes to the label set with k-means, using 1 − IoU (boxes aligned at a corner) as
 * the distance, as YOLO detectors do. Reports progress per iteration and the fitness as metrics.
 */
export class AnchorsAction extends BaseAction.with({
  params: AnchorsParams,
  result: AnchorsResult,
  description: 'k-means anchor boxes for a YOLO label set',
}) {
  async execute() {
    const { labels, k, imageSize, iterations } = this.params
    const set = await readLabels(labels, 0)
    const sizes: Wh[] = set.boxes.map((b) => [b.w * imageSize, b.h * imageSize])
    if (sizes.length < k) {
      throw new Error(`Need at least ${k} boxes to fit ${k} anchors, found ${sizes.length}`)
    }
    let centroids = this.#seed(sizes, k)
    let iteration = 0
    for (; iteration < iterations; iteration++) {
      this.ctx.throwIfCancelled()
      const groups: Wh[][] = centroids.map(() => [])
      for (const s of sizes) groups[nearest(s, centroids)]!.push(s)
      const next = groups.map((g, i) => (g.length === 0 ? centroids[i]! : median(g)))
      const moved = next.some((c, i) => c[0] !== centroids[i]![0] || c[1] !== centroids[i]![1])
      centroids = next
      this.setProgress(iteration + 1, iterations, 'kmeans')
      if ((iteration + 1) % 10 === 0 || !moved) {
        this.setMetrics({ meanIoU: round(meanBestIoU(sizes, centroids)) }, 'kmeans')
      }
      if (!moved) {
        this.setProgress(iterations, iterations, 'kmeans')
        break
      }
      // Yield to the event loop so progress reaches its readers and cancellation is seen.
      await new Promise((resolve) => setImmediate(resolve))
    }
    centroids.sort((a, b) => a[0] * a[1] - b[0] * b[1])
    const best = sizes.map((s) => Math.max(...centroids.map((c) => iou(s, c))))
    return {
      anchors: centroids.map(([w, h]) => [Math.round(w), Math.round(h)] as Wh),
      meanIoU: round(best.reduce((a, b) => a + b, 0) / best.length),
      recallAt25: round(best.filter((v) => v > 0.25).length / best.length),
      boxes: sizes.length,
      iterations: Math.min(iteration + 1, iterations),
    }
  }

  /** k-means++ seeding with a seeded generator: the same anchors on every run. */
  #seed(sizes: Wh[], k: number): Wh[] {
    let state = this.params.seed >>> 0
    const rand = () => {
      state = (state + 0x6d2b79f5) | 0
      let t = Math.imul(state ^ (state >>> 15), 1 | state)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
    const centroids: Wh[] = [sizes[Math.floor(rand() * sizes.length)]!]
    while (centroids.length < k) {
      const d = sizes.map((s) => (1 - Math.max(...centroids.map((c) => iou(s, c)))) ** 2)
      let pick = rand() * d.reduce((a, b) => a + b, 0)
      let i = 0
      for (; i < d.length - 1 && pick > d[i]!; i++) pick -= d[i]!
      centroids.push(sizes[i]!)
    }
    return centroids
  }
}

function iou([w1, h1]: Wh, [w2, h2]: Wh): number {
  const inter = Math.min(w1, w2) * Math.min(h1, h2)
  return inter / (w1 * h1 + w2 * h2 - inter)
}

function nearest(s: Wh, centroids: Wh[]): number {
  let best = 0
  let bestIoU = -1
  centroids.forEach((c, i) => {
    const v = iou(s, c)
    if (v > bestIoU) {
      bestIoU = v
      best = i
    }
  })
  return best
}

function median(group: Wh[]): Wh {
  const mid = (values: number[]) => {
    const sorted = values.sort((a, b) => a - b)
    const m = sorted.length >> 1
    return sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2
  }
  return [mid(group.map((g) => g[0])), mid(group.map((g) => g[1]))]
}

function meanBestIoU(sizes: Wh[], centroids: Wh[]): number {
  return (
    sizes.reduce((sum, s) => sum + Math.max(...centroids.map((c) => iou(s, c))), 0) / sizes.length
  )
}

function round(n: number): number {
  return Math.round(n * 1e4) / 1e4
}
