import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCli, repoRoot, runCli } from './run-cli'

// The example pipeline exactly as the root README runs it: the shipped COCO shapes, the
// converter `insert_converters` splices in, training on the converted folder, and evaluation.
const file = join(repoRoot, 'examples', 'train-classifier', 'pipeline.yaml')
let tmp: string

beforeAll(() => {
  buildCli()
  tmp = mkdtempSync(join(tmpdir(), 'synapse-train-pipeline-'))
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** A store, workspace and working folder of the test's own. */
function setup(name: string) {
  const dir = join(tmp, name)
  const store = join(dir, 'synapse.db')
  const env = { SYNAPSE_WORKSPACE: join(dir, 'ws') }
  const run = (args: string[]) => runCli([...args, '--store', store], { env })
  const status = (runId: string) => {
    const shown = run(['pipeline', 'status', runId, '--json'])
    expect(shown.stderr).toBe('')
    return JSON.parse(shown.stdout)
  }
  return { dir, store, env, run, status, workdir: join(dir, 'work') }
}

interface Checkpoint {
  name: string
  result: Record<string, unknown>
  loss?: { summary: string }
}

describe('examples/train-classifier/pipeline.yaml', () => {
  it('plan shows the spliced converter; run trains on its output and evaluates the stored model', () => {
    const t = setup('ok')
    const params = JSON.stringify({ workdir: t.workdir })
    const plan = runCli(['pipeline', 'plan', file, '--params', params], { env: t.env })
    expect(plan.stderr).toBe('')
    expect(plan.status).toBe(0)
    expect(plan.stdout).toMatch(/1\. copy-data\s+action\s+→ coco_dataset/)
    expect(plan.stdout).toMatch(
      /2\. coco_to_yolo\s+converter\s+coco_dataset → yolo_dataset\s+lossy/,
    )
    expect(plan.stdout).toMatch(/3\. train\s+action\s+yolo_dataset → model_weights/)
    expect(plan.stdout).toMatch(/4\. evaluate\s+action\s+model_weights →\s+mapped params/)
    // Planning runs nothing.
    expect(existsSync(t.workdir)).toBe(false)

    const started = performance.now()
    const run = t.run(['pipeline', 'run', file, '--params', params, '--run-id', 'p1', '--json'])
    const seconds = (performance.now() - started) / 1000
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    const out = JSON.parse(run.stdout) as {
      status: string
      result: { accuracy: unknown; total: number; confusion: number[][] }
    }
    expect(out.status).toBe('completed')
    expect(typeof out.result.accuracy).toBe('number')
    // 49 val boxes; three classes, so chance is a third.
    expect(out.result.total).toBe(49)
    expect(out.result.accuracy).toBeGreaterThan(0.6)
    expect(seconds).toBeLessThan(30)

    const state = t.status('p1')
    expect(state.steps.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['copy-data', 'completed'],
      ['coco_to_yolo', 'completed'],
      ['train', 'completed'],
      ['evaluate', 'completed'],
    ])
    const [copied, converted, trained] = state.checkpoints as Checkpoint[]
    expect(copied?.result).toEqual({ path: join(t.workdir, 'shapes') })
    expect(converted?.result).toEqual({ path: join(t.workdir, 'shapes-yolo') })
    // What COCO → YOLO dropped is kept with the run.
    expect(converted?.loss?.summary).toMatch(/supercategory dropped/)
    const train = trained?.result as {
      firstLoss: number
      finalLoss: number
      epochs: number
      model: { id: string; sha256: string }
    }
    expect(train.epochs).toBe(12)
    expect(train.finalLoss).toBeLessThan(train.firstLoss / 3)

    // Training read the converted folder in place: the workspace holds the model, no dataset.
    const models = JSON.parse(
      runCli(['workspace', 'models', 'list', '--json'], { env: t.env }).stdout,
    ) as { id: string; sha256: string; meta: Record<string, unknown> }[]
    expect(models).toEqual([
      expect.objectContaining({
        id: train.model.id,
        sha256: train.model.sha256,
        meta: expect.objectContaining({ datasetPath: join(t.workdir, 'shapes-yolo') }),
      }),
    ])
    const datasets = runCli(['workspace', 'datasets', 'list', '--json'], { env: t.env })
    expect(JSON.parse(datasets.stdout)).toEqual([])
  })

  it('a workspace dataset given as well as the converted folder fails train naming both; the steps before are kept', () => {
    const t = setup('both')
    const params = JSON.stringify({ workdir: t.workdir, dataset: 'ds-12345678' })
    const run = t.run(['pipeline', 'run', file, '--params', params, '--run-id', 'p2'])
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(/failed at step 3 'train'/)
    expect(run.stderr).toContain('params.dataset (a workspace dataset id) or params.path')
    expect(run.stderr).toContain('not both')
    const state = t.status('p2')
    expect(state.steps.map((s: { status: string }) => s.status)).toEqual([
      'completed',
      'completed',
      'failed',
      'pending',
    ])
    const models = runCli(['workspace', 'models', 'list', '--json'], { env: t.env })
    expect(JSON.parse(models.stdout)).toEqual([])
  })
})
