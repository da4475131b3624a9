import { join } from 'node:path'
import { actionNameOf } from '@synapse/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { discoverActions, discoverActionsStatically } from '../src/index'
import { pluginFolder } from './plugin-folder'

const files = {
  'src/train.ts': `import { BaseAction } from '@synapse/core'
import { z } from 'zod'

export class TrainAction extends BaseAction.with({
  method: 'job',
  inputType: 'yolo_dataset',
  outputType: 'model_weights',
  params: z.object({ epochs: z.number().int().default(10) }),
}) {
  async execute() {
    return {}
  }
}

// Abstract: a base for others, never an action.
export abstract class BaseTuned extends BaseAction {}

// Not exported: not reachable from config.yaml.
class Hidden extends BaseAction {}
`,
  'src/greet.ts': `import { defineAction } from '@synapse/core'
export const greet = defineAction({ description: 'Says hello' }, async () => ({ message: 'hi' }))
const labelStats = defineAction({ name: 'label-stats' }, async () => 1)
const notAnAction = 42
export { labelStats as stats, notAnAction }
`,
  // Its import is not installed: the source still says what it declares.
  'src/export.ts': `import { BaseExportAction } from '@synapse/not-installed'
export class ExportAction extends BaseExportAction {
  static override actionName = 'export-coco'
  static override method = 'job'
}
`,
  // Looks like an action to the parser (its base is a Base…), is not one when imported.
  'src/helpers.ts': `export class BaseHelper {}
export class CsvHelper extends BaseHelper {}
`,
  'src/broken.ts': 'export const x = defineAction({ name: "broken" }, async () => {\n',
  'src/train.test.ts': `import { defineAction } from '@synapse/core'
export const fromTest = defineAction({}, async () => 1)
`,
  'test/more.ts': `import { defineAction } from '@synapse/core'
export const inTestFolder = defineAction({}, async () => 1)
`,
}

let plugin: ReturnType<typeof pluginFolder>
beforeAll(() => {
  plugin = pluginFolder(files)
})
afterAll(() => plugin.remove())

describe('actionNameOf', () => {
  it.each([
    ['TrainAction', 'train'],
    ['AddTaskDataAction', 'add-task-data'],
    ['labelStats', 'label-stats'],
    ['greet', 'greet'],
    ['HTTPUploadAction', 'http-upload'],
    ['Action', 'action'],
  ])('%s → %s', (name, expected) => {
    expect(actionNameOf(name)).toBe(expected)
  })
})

describe('discoverActionsStatically: the parser, nothing imported', () => {
  it('finds exported classes and defineAction results with their literal metadata', () => {
    const { actions } = discoverActionsStatically(plugin.root)
    const byName = Object.fromEntries(actions.map((a) => [a.name, a]))
    expect(Object.keys(byName).sort()).toEqual([
      'broken',
      'csv-helper',
      'export-coco',
      'greet',
      'label-stats',
      'train',
    ])
    expect(byName['train']).toMatchObject({
      entrypoint: 'src/train:TrainAction',
      kind: 'class',
      method: 'job',
      inputType: 'yolo_dataset',
      outputType: 'model_weights',
      line: 4,
      column: 1,
    })
    expect(byName['greet']).toMatchObject({
      entrypoint: 'src/greet:greet',
      description: 'Says hello',
    })
    // Re-exported under another name: the entrypoint uses the exported name.
    expect(byName['label-stats']?.entrypoint).toBe('src/greet:stats')
    expect(byName['export-coco']).toMatchObject({
      entrypoint: 'src/export:ExportAction',
      method: 'job',
    })
  })

  it('reports a syntax error with file:line:col and keeps going', () => {
    const { problems } = discoverActionsStatically(plugin.root)
    expect(problems).toContainEqual(
      expect.objectContaining({
        file: join(plugin.root, 'src/broken.ts'),
        line: 2,
        message: "'}' expected.",
      }),
    )
  })

  it('two exports that end up with one name: the first keeps it, the other is reported', () => {
    const twin = pluginFolder({
      'a.ts':
        "import { defineAction } from '@synapse/core'\nexport const train = defineAction({}, async () => 1)\n",
      'b.ts':
        "import { BaseAction } from '@synapse/core'\nexport class TrainAction extends BaseAction {}\n",
    })
    try {
      const { actions, problems } = discoverActionsStatically(twin.root)
      expect(actions.map((a) => a.entrypoint)).toEqual(['a:train'])
      expect(problems).toEqual([
        expect.objectContaining({
          line: 2,
          message:
            "action 'train' (b:TrainAction) has the name of a:train; give one of them its own name",
        }),
      ])
    } finally {
      twin.remove()
    }
  })
})

describe('discoverActions: then imported where the module imports', () => {
  it('drops what is not an action, keeps what failed to import as the source states it', async () => {
    const { actions, problems } = await discoverActions(plugin.root)
    const byName = Object.fromEntries(actions.map((a) => [a.name, a]))
    expect(Object.keys(byName).sort()).toEqual([
      'broken',
      'export-coco',
      'greet',
      'label-stats',
      'train',
    ])
    expect(byName['train']?.imported).toBe(true)
    expect(byName['train']?.params).toBeDefined()
    expect(byName['export-coco']).toMatchObject({ imported: false, method: 'job' })
    expect(
      problems.map((p) => [p.file.slice(plugin.root.length + 1), p.message.split(':')[0]]),
    ).toContainEqual(['src/export.ts', 'could not import (export-coco known from the source only)'])
  })
})
