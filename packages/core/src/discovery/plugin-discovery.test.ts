import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { isActionDefinition } from '../action/action-definition'
import { BaseAction } from '../action/base-action'
import { defineAction } from '../action/define-action'
import { invokeAction } from '../action/invoke-action'
import { validateParams } from '../action/validate'
import { RuntimeContext } from '../context/runtime-context'
import { ActionNotFoundError, ConfigError, ExecutionError, PluginLoadError } from '../errors/errors'
import { PluginError } from '../errors/plugin-error'
import { RunLogger } from '../logging/run-logger'
import { MemorySink } from '../logging/sinks/memory-sink'
import { createTestContext } from '../testing/create-test-context'
import { createTestPlugin, type TestPlugin } from '../testing/create-test-plugin'
import { parseEntrypoint, resolveModuleFile } from './load-module'
import { PluginDiscovery } from './plugin-discovery'

const CONFIG = `
name: Test plugin
code: test-plugin
category: export
actions:
  greet:
    description: Says hello
    entrypoint: src/greet:greet
  train:
    entrypoint: src.train.TrainAction
    input_type: yolo_dataset
    output_type: model_weights
  convert:
    entrypoint: src/greet:convert
    params_schema: src/schemas:StrictParams
    method: task
    input_type: coco_dataset
  fails:
    entrypoint: src/greet:fails
  no_entry:
    description: declared, not implemented
  missing_export:
    entrypoint: src/greet:nothingHere
  missing_module:
    entrypoint: src/absent:thing
  not_an_action:
    entrypoint: src/greet:helper
  bad_schema:
    entrypoint: src/greet:greet
    params_schema: src/schemas:notASchema
  later:
    entrypoint: src/later:later
`

const GREET = `
import { defineAction, ExecutionError } from '@synapse/core'
import { z } from 'zod'

export const GreetParams = z.object({ name: z.string().min(1), excited: z.boolean().default(false) })

// No name or category: discovery fills them from config.yaml.
export const greet = defineAction(
  { params: GreetParams, result: z.object({ message: z.string() }) },
  async ({ name, excited }, ctx) => {
    ctx.logMessage(\`greeting \${name}\`)
    return { message: \`Hello \${name}\${excited ? '!' : '.'}\` }
  },
)

export const convert = defineAction(
  { name: 'code-name', category: 'upload', outputType: 'yolo_dataset', params: z.object({ loose: z.string() }) },
  (params) => params,
)

export const fails = defineAction({}, async () => {
  throw new ExecutionError('plugin-side failure', { details: { where: 'plugin' } })
})

export function helper() {
  return 1
}
`

const TRAIN = `
import { BaseAction } from '@synapse/core'
import { z } from 'zod'

const Params = z.object({ epochs: z.number().int().min(1).default(2) })

export class TrainAction extends BaseAction.with({ params: Params, description: 'Trains a model' }) {
  async execute() {
    for (let epoch = 1; epoch <= this.params.epochs; epoch++) {
      this.setProgress(epoch, this.params.epochs, 'train')
    }
    return { epochs: this.params.epochs, jobId: this.ctx.jobId }
  }
}
`

const SCHEMAS = `
import { z } from 'zod'
export const StrictParams = z.object({ strict: z.literal(true) })
export const notASchema = { safeParse: 'nope' }
`

let plugin: TestPlugin
let discovery: PluginDiscovery

beforeAll(() => {
  plugin = createTestPlugin({
    'config.yaml': CONFIG,
    'src/greet.ts': GREET,
    'src/train.ts': TRAIN,
    'src/schemas.ts': SCHEMAS,
  })
  discovery = PluginDiscovery.fromPath(plugin.dir)
})
afterAll(() => plugin.remove())

function context(jobId = 'job-1') {
  const sink = new MemorySink()
  return {
    sink,
    ctx: new RuntimeContext({
      logger: new RunLogger({ runId: jobId, sinks: [sink] }),
      runId: jobId,
    }),
  }
}

async function loadError(name: string): Promise<PluginError> {
  try {
    await discovery.getAction(name)
  } catch (error) {
    expect(PluginError.is(error)).toBe(true)
    return error as PluginError
  }
  throw new Error(`expected loading '${name}' to fail`)
}

describe('PluginDiscovery: config', () => {
  it('lists actions in config order', () => {
    expect(discovery.listActions()).toEqual([
      'greet',
      'train',
      'convert',
      'fails',
      'no_entry',
      'missing_export',
      'missing_module',
      'not_an_action',
      'bad_schema',
      'later',
    ])
    expect(discovery.hasAction('greet')).toBe(true)
    expect(discovery.hasAction('toString')).toBe(false)
    expect(discovery.root).toBe(plugin.dir)
    expect(discovery.config.code).toBe('test-plugin')
  })

  it('fills name and method into action configs', () => {
    expect(discovery.getActionConfig('train')).toMatchObject({ name: 'train', method: 'job' })
    expect(discovery.getActionConfig('greet')).toMatchObject({ name: 'greet', method: 'task' })
    expect(discovery.getActionConfig('convert').method).toBe('task')
  })

  it('gives entrypoints in the canonical module:Export form without importing', () => {
    expect(discovery.getEntrypoint('greet')).toBe('src/greet:greet')
    expect(discovery.getEntrypoint('train')).toBe('src/train:TrainAction')
  })

  it('an unknown action is ActionNotFoundError listing the available ones', async () => {
    for (const attempt of [
      () => discovery.getActionConfig('nope'),
      () => discovery.getEntrypoint('nope'),
      () => discovery.sourceOf('nope'),
    ]) {
      expect(attempt).toThrow(ActionNotFoundError)
    }
    const error = await loadError('nope')
    expect(error).toBeInstanceOf(ActionNotFoundError)
    expect((error as ActionNotFoundError).available).toEqual(discovery.listActions())
    expect(error.message).toContain('Available actions: greet, train, convert')
  })

  it('sourceOf says how another process finds the action', () => {
    expect(discovery.sourceOf('train')).toEqual({ pluginPath: plugin.dir, action: 'train' })
  })

  it('a bad config.yaml is a ConfigError before anything loads', () => {
    const broken = createTestPlugin({ 'config.yaml': 'name: x\ncode: x\ncategory: neural_net\n' })
    try {
      expect(() => PluginDiscovery.fromPath(broken.dir)).toThrow(ConfigError)
    } finally {
      broken.remove()
    }
  })
})

describe('PluginDiscovery: loading actions', () => {
  it('loads a function action (file/path:Export) with name, category and method from config', async () => {
    const greet = await discovery.getAction('greet')
    expect(isActionDefinition(greet)).toBe(true)
    expect(greet).toMatchObject({
      name: 'greet',
      description: 'Says hello',
      category: 'export',
      method: 'task',
      resultValidation: 'warn',
    })
    const { ctx, sink } = context()
    const params = validateParams(greet, { name: 'Ada' })
    expect(params).toEqual({ name: 'Ada', excited: false })
    await expect(invokeAction(greet, params, ctx)).resolves.toEqual({ message: 'Hello Ada.' })
    expect(sink.ofType('log')[0]?.data['message']).toBe('greeting Ada')
  })

  it('loads a class action (file.path.Export), description from the class, types from config', async () => {
    const train = await discovery.getAction('train')
    expect(train).toMatchObject({
      name: 'train',
      description: 'Trains a model',
      category: 'export',
      method: 'job',
      inputType: 'yolo_dataset',
      outputType: 'model_weights',
    })
    const { ctx, sink } = context('job-7')
    const result = await invokeAction(train, validateParams(train, { epochs: 3 }), ctx)
    expect(result).toEqual({ epochs: 3, jobId: 'job-7' })
    // Reported in one burst: the first and the last are kept, the one between is coalesced.
    expect(sink.ofType('progress').map((e) => e.percent)).toEqual([33.33, 100])
  })

  it("keeps the code's own category and types; config names the action and overrides params", async () => {
    const convert = await discovery.getAction('convert')
    expect(convert).toMatchObject({
      name: 'convert',
      category: 'upload',
      method: 'task',
      // The code says what it produces; config.yaml only fills what the code leaves out.
      outputType: 'yolo_dataset',
      inputType: 'coco_dataset',
    })
    // params_schema replaces the action's own schema.
    expect(convert.params.safeParse({ strict: true }).success).toBe(true)
    expect(convert.params.safeParse({ loose: 'x' }).success).toBe(false)
    expect(convert.result).toBeUndefined()
    const greet = await discovery.getAction('greet')
    expect(greet.result?.safeParse({ message: 'm' }).success).toBe(true)
  })

  it('loads once: the same definition every time', async () => {
    const [a, b] = await Promise.all([discovery.getAction('greet'), discovery.getAction('greet')])
    expect(a).toBe(b)
    expect(await discovery.getAction('greet')).toBe(a)
  })

  it("errors from the plugin's copy of core are recognised by their brand", async () => {
    const fails = await discovery.getAction('fails')
    const error = await invokeAction(fails, {}, context().ctx).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(PluginError.is(error)).toBe(true)
    // Another copy of core: not our ExecutionError class, same code, passed through unwrapped.
    expect(error).not.toBeInstanceOf(ExecutionError)
    expect((error as PluginError).code).toBe('EXECUTION_FAILED')
    expect((error as PluginError).details).toEqual({ where: 'plugin' })
  })

  it('an action without an entrypoint is MISSING_ENTRYPOINT', async () => {
    const error = await loadError('no_entry')
    expect(error).toBeInstanceOf(PluginLoadError)
    expect(error.code).toBe('MISSING_ENTRYPOINT')
  })

  it('a missing export lists what the module does export', async () => {
    const error = await loadError('missing_export')
    expect(error.code).toBe('EXPORT_NOT_FOUND')
    expect(error.message).toContain("no export 'nothingHere'")
    expect(error.message).toContain("(action 'missing_export')")
    expect(error.message).toMatch(/Exports: .*greet/)
    expect(error.details).toMatchObject({ export: 'nothingHere', action: 'missing_export' })
  })

  it('an export that is not an action is INVALID_ENTRYPOINT', async () => {
    const error = await loadError('not_an_action')
    expect(error.code).toBe('INVALID_ENTRYPOINT')
  })

  it('a params_schema that is not a zod schema is INVALID_SCHEMA', async () => {
    const error = await loadError('bad_schema')
    expect(error.code).toBe('INVALID_SCHEMA')
  })

  it('a missing module is MODULE_NOT_FOUND; a failed load is retried once the file exists', async () => {
    const error = await loadError('missing_module')
    expect(error.code).toBe('MODULE_NOT_FOUND')
    expect(error.details['tried']).toContain('src/absent.ts')

    await expect(discovery.getAction('later')).rejects.toMatchObject({ code: 'MODULE_NOT_FOUND' })
    plugin.write(
      'src/later.ts',
      "import { defineAction } from '@synapse/core'\nexport const later = defineAction({}, () => 'late')\n",
    )
    const later = await discovery.getAction('later')
    await expect(invokeAction(later, {}, context().ctx)).resolves.toBe('late')
  })

  it('loads a TypeScript plugin that has no package.json saying "type": "module"', async () => {
    // Python-style plugin dirs hold config.yaml and code only; Node then treats .ts as CommonJS.
    const bare = createTestPlugin(
      {
        'config.yaml':
          'name: b\ncode: b\nactions:\n  hello:\n    entrypoint: main:hello\n  cls:\n    entrypoint: main.Hello\n',
        'main.ts': [
          "import { BaseAction, defineAction } from '@synapse/core'",
          "import { z } from 'zod'",
          'export const hello = defineAction({ params: z.object({ n: z.number() }) }, ({ n }) => n * 2)',
          'export class Hello extends BaseAction {',
          "  execute() { return 'class' }",
          '}',
          '',
        ].join('\n'),
      },
      { moduleType: 'none' },
    )
    try {
      const found = PluginDiscovery.fromPath(bare.dir)
      const hello = await found.getAction('hello')
      await expect(
        invokeAction(hello, validateParams(hello, { n: 21 }), context().ctx),
      ).resolves.toBe(42)
      const cls = await found.getAction('cls')
      await expect(invokeAction(cls, {}, context().ctx)).resolves.toBe('class')
    } finally {
      bare.remove()
    }
  })

  it("follows the plugin's own imports: extensionless, .js for .ts, nested dotted entrypoints", async () => {
    const nested = createTestPlugin({
      'config.yaml':
        'name: n\ncode: n\nactions:\n  deep:\n    entrypoint: src.actions.deep.main.Deep\n',
      'src/actions/deep/main.ts': [
        "import { BaseAction } from '@synapse/core'",
        "import { double } from '../../lib/math'",
        "import { PREFIX } from '../../lib/prefix.js'",
        'export class Deep extends BaseAction {',
        '  execute() { return PREFIX + String(double(21)) }',
        '}',
        '',
      ].join('\n'),
      'src/lib/math.ts': 'export const double = (n: number): number => n * 2\n',
      'src/lib/prefix.ts': "export const PREFIX: string = 'answer='\n",
    })
    try {
      const found = PluginDiscovery.fromPath(nested.dir)
      expect(found.getEntrypoint('deep')).toBe('src/actions/deep/main:Deep')
      const deep = await found.getAction('deep')
      await expect(invokeAction(deep, {}, context().ctx)).resolves.toBe('answer=42')
    } finally {
      nested.remove()
    }
  })

  it('a module that throws on import is a PluginLoadError with the cause', async () => {
    const broken = createTestPlugin({
      'config.yaml': 'name: b\ncode: b\nactions:\n  boom:\n    entrypoint: main:boom\n',
      'main.ts': "throw new Error('module top level failed')\nexport const boom = 1\n",
    })
    try {
      const error = await PluginDiscovery.fromPath(broken.dir)
        .getAction('boom')
        .then(
          () => undefined,
          (e: unknown) => e as PluginError,
        )
      if (error === undefined) throw new Error('expected the import to fail')
      expect(error).toBeInstanceOf(PluginLoadError)
      expect(error.code).toBe('PLUGIN_LOAD_FAILED')
      expect(error.message).toContain('module top level failed')
      expect((error.cause as Error).message).toBe('module top level failed')
    } finally {
      broken.remove()
    }
  })
})

describe('entrypoints', () => {
  it('parses both forms', () => {
    expect(parseEntrypoint('plugin/train:TrainAction')).toEqual({
      module: 'plugin/train',
      exportName: 'TrainAction',
    })
    expect(parseEntrypoint('plugin.train.TrainAction')).toEqual({
      module: 'plugin/train',
      exportName: 'TrainAction',
    })
    expect(parseEntrypoint('main:run')).toEqual({ module: 'main', exportName: 'run' })
    expect(() => parseEntrypoint('TrainAction')).toThrow(PluginLoadError)
  })

  it('resolves module files with the usual extensions and index files', () => {
    const files = createTestPlugin({
      'a.ts': '',
      'b.mjs': '',
      'c/index.ts': '',
      'd.js': '',
      'd.ts': '',
    })
    try {
      expect(resolveModuleFile(files.dir, 'a')).toBe(`${files.dir}/a.ts`)
      expect(resolveModuleFile(files.dir, 'b')).toBe(`${files.dir}/b.mjs`)
      expect(resolveModuleFile(files.dir, 'c')).toBe(`${files.dir}/c/index.ts`)
      // TypeScript first: the source, not a stale build next to it.
      expect(resolveModuleFile(files.dir, 'd')).toBe(`${files.dir}/d.ts`)
      expect(resolveModuleFile(files.dir, 'a.ts')).toBe(`${files.dir}/a.ts`)
      expect(() => resolveModuleFile(files.dir, 'zzz')).toThrow(PluginLoadError)
    } finally {
      files.remove()
    }
  })

  it('the params the plugin declares are a real zod schema for the host', async () => {
    const greet = await discovery.getAction('greet')
    const shape = z.toJSONSchema(greet.params) as { required?: string[] }
    expect(shape.required).toContain('name')
  })
})

describe('PluginDiscovery.fromModule', () => {
  const module = {
    TrainAction: class extends BaseAction.with({ method: 'job' }) {
      async execute() {
        return { trained: true }
      }
    },
    greet: defineAction({ name: 'say-hello' }, async () => 'hello'),
    labelStats: defineAction({}, async () => 3),
    helper: () => 1,
    VERSION: '1.0.0',
  }

  it('every exported action, named by its code or its export; nothing else', async () => {
    const plugin = PluginDiscovery.fromModule(module, { code: 'demo', modulePath: 'src/actions' })
    expect(plugin.listActions()).toEqual(['train', 'say-hello', 'label-stats'])
    expect(plugin.getActionConfig('train')).toMatchObject({
      entrypoint: 'src/actions:TrainAction',
      method: 'job',
    })
    expect(plugin.getActionConfig('label-stats').method).toBe('task')
    expect(plugin.config).toMatchObject({ code: 'demo', name: 'demo', category: 'custom' })
    const train = await plugin.getAction('train')
    expect(train.name).toBe('train')
    expect(plugin.sourceOf('train')).toEqual({ pluginPath: process.cwd(), action: 'train' })
  })

  it('loads actions from the module given, importing nothing', async () => {
    const plugin = PluginDiscovery.fromModule(module, { code: 'demo' })
    const greet = await plugin.getAction('say-hello')
    expect(await greet.run({}, createTestContext().ctx)).toBe('hello')
  })

  it('two exports with one name, or a bad code: a ConfigError naming them', () => {
    const twins = {
      a: defineAction({ name: 'x' }, async () => 1),
      b: defineAction({ name: 'x' }, async () => 2),
    }
    expect(() => PluginDiscovery.fromModule(twins, { code: 'demo' })).toThrow(
      /exports 'a' and 'b' are both named 'x'/,
    )
    expect(() => PluginDiscovery.fromModule(module, { code: 'Not A Slug' })).toThrow(ConfigError)
  })
})
