import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ActionClass, resolveAction } from '@synapse/core'
import { createTestContext, type TestContext } from '@synapse/core/testing'
import { pngStub } from '@synapse/datasets/testing'
import type { z } from 'zod'

/** A fresh folder, removed by the returned function. */
export function tempDir(prefix = 'synapse-actions-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** A test context whose workspace is `workspace`, with a clock that moves 1 s per reading. */
export function workspaceContext(workspace: string): TestContext {
  let now = Date.UTC(2026, 0, 1)
  return createTestContext({ env: { SYNAPSE_WORKSPACE: workspace }, now: () => (now += 1000) })
}

/** Validates `params` with the class's schema and runs it, as an executor does. */
export async function runAction(
  cls: ActionClass,
  params: Record<string, unknown>,
  t: TestContext,
): Promise<Record<string, unknown>> {
  const schema = (cls as unknown as { params: z.ZodType }).params
  return (await resolveAction(cls).run(schema.parse(params) as never, t.ctx)) as Record<
    string,
    unknown
  >
}

/** A small YOLO detect dataset: two splits, two classes, four images (one box each). */
export function writeYoloDataset(root: string): string {
  const names = ['cat', 'dog']
  writeFileSync(
    join(root, 'data.yaml'),
    `path: .\ntrain: images/train\nval: images/val\nnames:\n  0: cat\n  1: dog\n`,
  )
  for (const split of ['train', 'val']) {
    mkdirSync(join(root, 'images', split), { recursive: true })
    mkdirSync(join(root, 'labels', split), { recursive: true })
    for (let i = 0; i < 2; i++) {
      const stem = `${split}_${i}`
      writeFileSync(join(root, 'images', split, `${stem}.png`), pngStub(64, 48))
      writeFileSync(
        join(root, 'labels', split, `${stem}.txt`),
        `${i % names.length} 0.5 0.5 0.25 0.25\n`,
      )
    }
  }
  return root
}
