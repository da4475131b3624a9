import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCli, repoRoot, runCli } from './run-cli'

const example = join(repoRoot, 'examples', 'train-classifier')
const shapes = join(example, 'data', 'shapes')
let tmp: string
let env: Record<string, string>

beforeAll(() => {
  buildCli()
  tmp = mkdtempSync(join(tmpdir(), 'synapse-ws-'))
  env = { SYNAPSE_WORKSPACE: join(tmp, 'ws') }
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function json<T>(args: string[]): T {
  const r = runCli(args, { env })
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
  return JSON.parse(r.stdout) as T
}

describe('synapse workspace', () => {
  it('refuses a dataset that does not read, naming the file and line, and stores nothing', () => {
    const bad = join(tmp, 'bad')
    mkdirSync(join(bad, 'labels', 'train'), { recursive: true })
    mkdirSync(join(bad, 'images', 'train'), { recursive: true })
    writeFileSync(join(bad, 'data.yaml'), 'train: images/train\nnames:\n  0: a\n')
    copyFileSync(
      join(shapes, 'images', 'train', 'train_000.png'),
      join(bad, 'images', 'train', 'x.png'),
    )
    writeFileSync(join(bad, 'labels', 'train', 'x.txt'), '0 0.5 0.5 zero 0.1\n')
    const r = runCli(['workspace', 'datasets', 'add', bad, '--format', 'yolo'], { env })
    expect(r.status).not.toBe(0)
    expect(r.stderr).toContain('WORKSPACE_INVALID_INPUT')
    expect(r.stderr).toMatch(/x\.txt:1/)
    expect(json<unknown[]>(['workspace', 'datasets', 'list', '--json'])).toEqual([])
  })

  it('trains the example classifier from the CLI: loss falls, the model is stored, checked and used', () => {
    const added = json<{ id: string; images: number }>([
      'workspace',
      'datasets',
      'add',
      shapes,
      '--format',
      'coco',
      '--json',
    ])
    expect(added.images).toBe(120)
    const listed = runCli(['workspace', 'datasets', 'list'], { env })
    expect(listed.stdout).toContain(added.id)

    const train = runCli(
      [
        'plugin',
        'run',
        'train',
        '--path',
        example,
        '--params',
        JSON.stringify({ dataset: added.id, epochs: 12 }),
      ],
      { env },
    )
    expect(train.status).toBe(0)
    const result = JSON.parse(train.stdout) as {
      firstLoss: number
      finalLoss: number
      trainAccuracy: number
      model: { id: string; sha256: string }
    }
    expect(result.finalLoss).toBeLessThan(result.firstLoss / 3)
    expect(result.trainAccuracy).toBeGreaterThan(0.9)
    // Progress, overall and per epoch, and the epoch metrics reached the terminal as the run went.
    expect(train.stderr).toMatch(/overall\s+\[/)
    // The COCO dataset was converted to YOLO boxes by the convert step, its loss report logged.
    expect(train.stderr).toContain('Dataset converted: coco → yolo')
    expect(train.stderr).toMatch(/train\s+\[.*\]\s+100\.0%\s+12\/12/)
    expect(train.stderr).toMatch(/\[train\] Metrics: \{"epoch":12,"loss":/)

    const models = json<{ id: string; sha256: string }[]>(['workspace', 'models', 'list', '--json'])
    expect(models).toEqual([
      expect.objectContaining({ id: result.model.id, sha256: result.model.sha256 }),
    ])
    const shown = runCli(['workspace', 'models', 'show', result.model.id], { env })
    expect(shown.stdout).toContain('weights.bin')
    expect(shown.stdout).toContain('(files verified)')

    const evaluated = JSON.parse(
      runCli(
        [
          'plugin',
          'run',
          'evaluate',
          '--path',
          example,
          '--json',
          '--params',
          JSON.stringify({ model: result.model.id, dataset: added.id }),
        ],
        { env },
      ).stdout,
    ) as { accuracy: number; total: number; confusion: number[][] }
    expect(evaluated.total).toBe(49)
    // Three classes: chance is a third.
    expect(evaluated.accuracy).toBeGreaterThan(0.6)
    expect(evaluated.confusion.flat().reduce((a, b) => a + b, 0)).toBe(49)

    const image = join(shapes, 'images', 'val', 'val_000.png')
    const inferred = JSON.parse(
      runCli(
        [
          'plugin',
          'run',
          'infer',
          '--path',
          example,
          '--json',
          '--params',
          JSON.stringify({ model: result.model.id, images: [image] }),
        ],
        { env },
      ).stdout,
    ) as { predictions: { image: string; label: string; confidence: number }[] }
    expect(inferred.predictions).toEqual([
      { image, box: null, label: expect.any(String), confidence: expect.any(Number) },
    ])

    // A weights file changed after training: show and infer both refuse it by checksum.
    const record = models[0] as unknown as { path: string }
    writeFileSync(join(record.path, 'weights.bin'), 'not the weights')
    const broken = runCli(['workspace', 'models', 'show', result.model.id], { env })
    expect(broken.status).not.toBe(0)
    expect(broken.stderr).toContain('CHECKSUM_MISMATCH')
    expect(broken.stderr).toContain('weights.bin')
    const refused = runCli(
      [
        'plugin',
        'run',
        'infer',
        '--path',
        example,
        '--params',
        JSON.stringify({ model: result.model.id, images: [image] }),
      ],
      { env },
    )
    expect(refused.status).not.toBe(0)
    expect(refused.stderr).toContain('CHECKSUM_MISMATCH')
  })

  it('an unknown dataset id fails the training run naming it', () => {
    const r = runCli(
      ['plugin', 'run', 'train', '--path', example, '--params', '{"dataset":"ds-00000000"}'],
      { env },
    )
    expect(r.status).not.toBe(0)
    expect(r.stderr).toContain("No dataset 'ds-00000000'")
  })

  it('plugin run --store uses the workspace beside that store', () => {
    const elsewhere = join(tmp, 'elsewhere')
    // No workspace named anywhere: only --store says where things go.
    const bare = { SYNAPSE_WORKSPACE: '', SYNAPSE_STORE: '' }
    const added = runCli(
      [
        'workspace',
        'datasets',
        'add',
        shapes,
        '--format',
        'coco',
        '--workspace',
        elsewhere,
        '--json',
      ],
      { env: bare },
    )
    expect(added.status).toBe(0)
    const { id } = JSON.parse(added.stdout) as { id: string }
    const store = join(elsewhere, 'synapse.db')
    const params = JSON.stringify({ dataset: id, epochs: 1 })
    const train = runCli(
      ['plugin', 'run', 'train', '--path', example, '--params', params, '--store', store, '--json'],
      { env: bare },
    )
    expect(train.stderr).not.toContain('No dataset')
    expect(train.status).toBe(0)
    const models = runCli(['workspace', 'models', 'list', '--workspace', elsewhere, '--json'], {
      env: bare,
    })
    expect(JSON.parse(models.stdout)).toHaveLength(1)
  })
})
