import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineAction, type TypeAdapter, TypeAdapterRegistry } from '@synapse/core'
import { LocalExecutor } from '@synapse/executor-local'
import { SqliteRunStore } from '@synapse/store-sqlite'
import { z } from 'zod'

/** A real SQLite store in its own temp folder, with an executor recording into it. */
export function openFixture() {
  const dir = mkdtempSync(join(tmpdir(), 'synapse-pipelines-'))
  const store = new SqliteRunStore({ path: join(dir, 'synapse.db') })
  const executor = new LocalExecutor({ store, cancelGraceMs: 200 })
  return {
    dir,
    store,
    executor,
    async close() {
      await executor.close()
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** download → coco dataset; train expects yolo; evaluate takes the weights. */
export const download = defineAction(
  {
    name: 'download',
    params: z.object({ dataset: z.string(), operation: z.string().default('download') }),
    result: z.object({ path: z.string(), operation: z.string() }),
    outputType: 'coco_dataset',
  },
  (p) => ({ path: `/data/${p.dataset}/coco`, operation: p.operation }),
)

export const train = defineAction(
  {
    name: 'train',
    params: z.object({ path: z.string(), epochs: z.number(), lr: z.number().optional() }),
    result: z.object({ weights: z.string(), trainedAt: z.date() }),
    inputType: 'yolo_dataset',
    outputType: 'model_weights',
  },
  (p) => ({ weights: `${p.path}/w-${p.epochs}.pt`, trainedAt: new Date('2026-03-04T05:06:07Z') }),
)

export const evaluate = defineAction(
  {
    name: 'evaluate',
    params: z.object({ weights: z.string(), threshold: z.number() }),
    result: z.object({ map50: z.number(), weights: z.string() }),
    inputType: 'model',
    outputType: 'test_results',
  },
  (p) => ({ map50: p.weights.length / 100 + p.threshold, weights: p.weights }),
)

/** A lossy COCO → YOLO adapter that rewrites the path and says what it dropped. */
export function cocoToYolo(): TypeAdapter {
  return {
    name: 'coco_to_yolo',
    from: 'coco_dataset',
    to: 'yolo_dataset',
    lossy: true,
    convert: async (input) => ({
      output: { path: String(input['path']).replace(/coco$/, 'yolo') },
      loss: { summary: 'segmentation polygons reduced to boxes', details: { polygons: 3 } },
    }),
  }
}

export function adaptersWithCocoToYolo(): TypeAdapterRegistry {
  return new TypeAdapterRegistry().register(cocoToYolo())
}
