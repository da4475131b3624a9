import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PluginError } from '@synapse/core'
import { afterEach, describe, expect, it } from 'vitest'
import { describeChange, syncPluginConfig } from '../src/index'
import { pluginFolder } from './plugin-folder'

const train = `import { BaseAction } from '@synapse/core'
import { z } from 'zod'

export class TrainAction extends BaseAction.with({
  outputType: 'model_weights',
  params: z.object({
    dataset: z.string(),
    epochs: z.number().int().min(1).default(10).describe('Passes over the data'),
    batch_size: z.number().int().optional(),
  }),
}) {
  async execute() {
    return {}
  }
}
`
const greet = `import { defineAction } from '@synapse/core'
export const greet = defineAction({ method: 'task' }, async () => 'hi')
export const infer = defineAction({}, async () => 'cat')
`

let removers: (() => void)[] = []
afterEach(() => {
  for (const remove of removers) remove()
  removers = []
})

function plugin(config: string, extra: Record<string, string> = {}) {
  const folder = pluginFolder({
    'config.yaml': config,
    'src/train.ts': train,
    'src/greet.ts': greet,
    ...extra,
  })
  removers.push(folder.remove)
  return { root: folder.root, config: () => readFileSync(join(folder.root, 'config.yaml'), 'utf8') }
}

const base = `# The plugin's own notes stay where they are.
name: Demo   # inline comment
code: demo
category: neural_net
data_type: image
actions:
  # greet says hello
  greet:
    entrypoint: src/greet:greet
    description: kept as written, however long the line is, for yaml must not fold what the sync did not touch
`

describe('syncPluginConfig', () => {
  it('adds what the code has, keeps comments and key order, and is idempotent', async () => {
    const p = plugin(base)
    const first = await syncPluginConfig(p.root)
    expect(first.written).toBe(true)
    expect(first.changes.map(describeChange)).toEqual([
      // The code declares greet's method; the file did not say.
      'greet.method: (none) → task',
      "new action 'infer' (src/greet:infer)",
      "new action 'train' (src/train:TrainAction)",
    ])
    const text = p.config()
    expect(
      text.startsWith(
        "# The plugin's own notes stay where they are.\nname: Demo # inline comment\n",
      ),
    ).toBe(true)
    expect(text).toContain(
      '  # greet says hello\n  greet:\n    entrypoint: src/greet:greet\n    description: kept as written, however long the line is, for yaml must not fold what the sync did not touch\n    method: task\n',
    )
    expect(text.indexOf('infer:')).toBeLessThan(text.indexOf('train:'))
    expect(text).toContain('  infer:\n    entrypoint: src/greet:infer\n    method: task\n')
    const again = await syncPluginConfig(p.root)
    expect(again).toMatchObject({ changes: [], written: false })
  })

  it("train's form: platform params left out, every field required", async () => {
    const p = plugin(base)
    await syncPluginConfig(p.root)
    const { changes } = await syncPluginConfig(p.root, { check: true })
    expect(changes).toEqual([])
    const text = p.config()
    expect(text).toContain('output_type: model_weights')
    expect(text).toContain('train_ui_schemas:')
    expect(text).not.toContain('name: dataset')
    const form = text.slice(text.indexOf('train_ui_schemas:'))
    expect(form).toContain('name: epochs')
    expect(form).toContain('name: batch_size')
    expect(form.match(/required: true/g)).toHaveLength(2)
    expect(form).toContain('validation: required|min:1')
  })

  it('check: reports drift, writes nothing', async () => {
    const p = plugin(`${base}  train:\n    entrypoint: src/train:OldTrain\n`)
    const before = p.config()
    const { changes, written } = await syncPluginConfig(p.root, { check: true })
    expect(written).toBe(false)
    expect(p.config()).toBe(before)
    expect(changes.map(describeChange)).toContain('greet.method: (none) → task')
    expect(changes.map(describeChange)).toContain(
      'train.entrypoint: src/train:OldTrain → src/train:TrainAction',
    )
  })

  it('an entry renamed in the file is matched by its entrypoint, not added again', async () => {
    const p = plugin(`${base}  fit:\n    entrypoint: src.train.TrainAction\n    method: job\n`)
    const { changes } = await syncPluginConfig(p.root, { check: true })
    expect(changes.some((c) => c.action === 'train')).toBe(false)
    // The dotted form names the same export: not a change.
    expect(changes.some((c) => c.field === 'entrypoint')).toBe(false)
    expect(changes.map((c) => c.action)).toContain('fit')
  })

  it('the legacy string form grows into a map', async () => {
    const p = plugin('name: Demo\ncode: demo\nactions:\n  greet: src/greet:greet\n')
    await syncPluginConfig(p.root)
    expect(p.config()).toContain('  greet:\n    entrypoint: src/greet:greet\n    method: task\n')
  })

  it('a module whose import is broken: its action is still synced from the source, and reported', async () => {
    const p = plugin(base, {
      'src/export.ts': `import { BaseExportAction } from '@synapse/not-installed'
export class ExportAction extends BaseExportAction {
  static override method = 'job'
}
`,
    })
    const { changes, problems } = await syncPluginConfig(p.root)
    expect(changes.map(describeChange)).toContain("new action 'export' (src/export:ExportAction)")
    expect(p.config()).toContain(
      '  export:\n    entrypoint: src/export:ExportAction\n    method: job\n',
    )
    expect(problems[0]?.message).toMatch(/^could not import \(export known from the source only\)/)
  })

  it('a broken config.yaml: a ConfigError with file:line:col, and the file untouched', async () => {
    const broken = 'name: Demo\ncode: demo\nactions:\n  greet:\n    entrypoint: [not, a, string]\n'
    const p = plugin(broken)
    const error = await syncPluginConfig(p.root).catch((e: unknown) => e)
    expect(PluginError.is(error) && error.code).toBe('CONFIG_INVALID')
    expect(String((error as Error).message)).toContain('config.yaml:5:17')
    expect(p.config()).toBe(broken)
  })

  it('a missing config.yaml: a clear error, nothing created', async () => {
    const p = plugin(base)
    writeFileSync(join(p.root, 'config.yaml'), '')
    const error = await syncPluginConfig(join(p.root, 'nope')).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/Plugin not found: .*nope does not exist/)
  })
})
