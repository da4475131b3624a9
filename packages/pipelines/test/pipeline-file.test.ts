import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, PluginError } from '@synapse/core'
import { createTestPlugin, type TestPlugin } from '@synapse/core/testing'
import { SqliteRunStore } from '@synapse/store-sqlite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildPipeline,
  composeMappings,
  definitionOf,
  loadPipelineFile,
  parsePipelineFile,
  readPipelineState,
  requestPipelineCancel,
} from '../src/index'
import { openFixture } from './fixtures'

let plugin: TestPlugin
let dir: string

beforeAll(() => {
  plugin = createTestPlugin({
    'config.yaml': [
      'name: Steps',
      'code: steps',
      'actions:',
      '  double:',
      '    entrypoint: main:double',
      '  wait:',
      '    entrypoint: main:wait',
      '',
    ].join('\n'),
    'main.ts': [
      "import { defineAction } from '@synapse/core'",
      "import { z } from 'zod'",
      'export const double = defineAction(',
      '  { params: z.object({ n: z.number() }), result: z.object({ doubled: z.number() }) },',
      '  ({ n }) => ({ doubled: n * 2 }),',
      ')',
      'export const wait = defineAction(',
      '  { params: z.object({ count: z.number(), ms: z.number() }) },',
      '  async ({ count, ms }, ctx) => {',
      '    for (let i = 1; i <= 100; i++) {',
      '      ctx.throwIfCancelled()',
      '      await new Promise((resolve) => setTimeout(resolve, ms))',
      '      ctx.setProgress(i, 100)',
      '    }',
      '    return { total: count }',
      '  },',
      ')',
      '',
    ].join('\n'),
  })
  dir = mkdtempSync(join(tmpdir(), 'synapse-pipeline-file-'))
})
afterAll(() => {
  plugin.remove()
  rmSync(dir, { recursive: true, force: true })
})

function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run()
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('pipeline files', () => {
  it('reads actions, mappings, params and options, plugin paths from the file’s folder', () => {
    const path = file(
      'flow.yaml',
      [
        'name: flow',
        'strict: true',
        'insert_converters: true',
        'params: { n: 2 }',
        'actions:',
        `  - plugin: ${plugin.dir}`,
        '    action: double',
        '  - plugin: ./elsewhere',
        '    action: wait',
        '    name: waiting',
        '    weight: 3',
        '    map:',
        '      - rename: { doubled: count }',
        '      - default: { ms: 1 }',
        '',
      ].join('\n'),
    )
    const { definition } = loadPipelineFile(path)
    expect(definition).toEqual({
      file: path,
      name: 'flow',
      strict: true,
      insertConverters: true,
      params: { n: 2 },
      actions: [
        { plugin: plugin.dir, action: 'double' },
        {
          plugin: join(dir, 'elsewhere'),
          action: 'wait',
          name: 'waiting',
          weight: 3,
          map: [{ rename: { doubled: 'count' } }, { default: { ms: 1 } }],
        },
      ],
    })
  })

  it('reports bad YAML at the offending character', () => {
    const path = join(dir, 'bad.yaml')
    const error = configErrorOf(() => parsePipelineFile('actions:\n  - plugin: [a\n', path))
    expect(error.code).toBe('PIPELINE_FILE_INVALID')
    expect(error.message).toContain('Invalid YAML')
    expect(error.issues[0]?.location).toMatch(new RegExp(`^${path}:\\d+:\\d+$`))
  })

  it('reports every wrong type, unknown key and bad mapping at its file:line:col', () => {
    const path = join(dir, 'types.yaml')
    const text = [
      'strict: yes please',
      'colour: blue',
      'actions:',
      '  - plugin: ./p',
      '    action: 3',
      '    map:',
      '      - swap: [a, b]',
      '',
    ].join('\n')
    const error = configErrorOf(() => parsePipelineFile(text, path))
    const byPath = Object.fromEntries(error.issues.map((i) => [i.path.join('.'), i]))
    expect(byPath['strict']?.location).toBe(`${path}:1:9`)
    expect(byPath['']?.message).toMatch(/colour/)
    expect(byPath['actions.0.action']?.location).toBe(`${path}:5:13`)
    expect(byPath['actions.0.map.0']?.location).toBe(`${path}:7:9`)
    expect(byPath['actions.0.map.0']?.message).toMatch(/pick, omit, rename, set, default, lift/)
    expect(error.message).toContain(`${path}:1:9 strict:`)
  })

  it('needs at least one action, and a mapping at the top', () => {
    expect(
      configErrorOf(() => parsePipelineFile('name: x\n', join(dir, 'n.yaml'))).issues[0]?.path,
    ).toEqual(['actions'])
    expect(
      configErrorOf(() => parsePipelineFile('- a\n', join(dir, 'n.yaml'))).issues[0]?.message,
    ).toMatch(/mapping/)
    expect(() => loadPipelineFile(join(dir, 'absent.yaml'))).toThrow(
      expect.objectContaining({ code: 'PIPELINE_FILE_NOT_FOUND' }),
    )
  })

  it('names a missing plugin folder and an unknown action at their keys, all at once', async () => {
    const path = file(
      'missing.yaml',
      [
        'actions:',
        '  - plugin: ./no-such-plugin',
        '    action: double',
        `  - plugin: ${plugin.dir}`,
        '    action: tripple',
        '',
      ].join('\n'),
    )
    const loaded = loadPipelineFile(path)
    const error = await buildPipeline(loaded.definition, { at: loaded.at }).catch((e) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.code).toBe('PIPELINE_FILE_INVALID')
    expect(error.issues).toEqual([
      expect.objectContaining({
        path: ['actions', 0, 'plugin'],
        location: `${path}:2:13`,
        message: expect.stringContaining(join(dir, 'no-such-plugin')),
      }),
      expect.objectContaining({
        path: ['actions', 1, 'action'],
        location: `${path}:5:13`,
        message: expect.stringMatching(/no action 'tripple' \(it has: double, wait\)/),
      }),
    ])
  })

  it('named mappings pick, omit, rename, set and default, in order', () => {
    const map = composeMappings([
      { rename: { path: 'dataset', gone: 'still' } },
      { omit: ['operation'] },
      { set: { mode: 'train' } },
      { default: { mode: 'eval', epochs: 3 } },
    ])
    expect(map({ path: '/d', operation: 'download', keep: 1 })).toEqual({
      dataset: '/d',
      keep: 1,
      mode: 'train',
      epochs: 3,
    })
    expect(composeMappings([{ pick: ['a', 'z'] }])({ a: 1, b: 2 })).toEqual({ a: 1 })
  })

  it('lift copies a nested field to a top-level key; a path that is not there fails naming it', () => {
    const result = { model: { id: 'model-1', sha256: 'ab' }, runs: [{ loss: 0.5 }], path: '/d' }
    const lift = composeMappings([{ lift: { 'model.id': 'model', 'runs.0.loss': 'loss' } }])
    expect(lift(result)).toEqual({ model: 'model-1', runs: [{ loss: 0.5 }], loss: 0.5, path: '/d' })
    // Each entry reads the params as they came in, so a lifted key does not feed the next one.
    expect(
      composeMappings([{ lift: { 'model.id': 'model', 'model.sha256': 'sha' } }])(result),
    ).toMatchObject({ model: 'model-1', sha: 'ab' })

    const missing = () => composeMappings([{ lift: { 'model.name': 'name' } }])(result)
    expect(missing).toThrow(
      expect.objectContaining({
        code: 'PIPELINE_MAPPING_FAILED',
        message: expect.stringContaining("'model' is an object of id, sha256, without 'name'"),
      }),
    )
    expect(() => composeMappings([{ lift: { 'weights.id': 'w' } }])({ path: '/d' })).toThrow(
      /no key 'weights'; keys: path/,
    )
  })

  it('a lift key that is not a dotted path is reported at its file:line:col', () => {
    const path = join(dir, 'lift.yaml')
    const text = [
      'actions:',
      '  - plugin: ./p',
      '    action: a',
      '    map:',
      '      - lift: { "model..id": model }',
      '',
    ].join('\n')
    const error = configErrorOf(() => parsePipelineFile(text, path))
    expect(error.issues[0]?.location).toMatch(new RegExp(`^${path}:5:`))
    const ok = parsePipelineFile(text.replace('model..id', 'model.id'), path)
    expect(ok.definition.actions[0]?.map).toEqual([{ lift: { 'model.id': 'model' } }])
  })

  it('runs the pipeline it describes and keeps the definition with the run', async () => {
    const fx = openFixture()
    try {
      const path = file(
        'run.yaml',
        [
          'params: { n: 2, ms: 1 }',
          'actions:',
          `  - { plugin: ${plugin.dir}, action: double }`,
          `  - { plugin: ${plugin.dir}, action: wait, map: [{ rename: { doubled: count } }] }`,
          '',
        ].join('\n'),
      )
      const { definition, at } = loadPipelineFile(path)
      const pipeline = await buildPipeline(definition, { at })
      expect(pipeline.name).toBe('run')
      const result = await pipeline.run(definition.params, {
        executor: fx.executor,
        store: fx.store,
        runId: 'from-file',
      })
      expect(result).toEqual({ total: 4 })
      const state = await readPipelineState(fx.store, 'from-file')
      expect(definitionOf(state.source, 'from-file')).toEqual(definition)
    } finally {
      await fx.close()
    }
  })

  it('is cancelled from another store on the same file, its completed steps kept', async () => {
    const fx = openFixture()
    const other = new SqliteRunStore({ path: join(fx.dir, 'synapse.db') })
    try {
      const path = file(
        'cancel.yaml',
        [
          'params: { n: 2, ms: 20 }',
          'actions:',
          `  - { plugin: ${plugin.dir}, action: double }`,
          `  - { plugin: ${plugin.dir}, action: wait, map: [{ rename: { doubled: count } }] }`,
          '',
        ].join('\n'),
      )
      const { definition } = loadPipelineFile(path)
      const pipeline = await buildPipeline(definition)
      await pipeline.submit(definition.params, {
        executor: fx.executor,
        store: fx.store,
        runId: 'to-cancel',
      })
      for (let i = 0; i < 200; i++) {
        const state = await readPipelineState(other, 'to-cancel')
        if (state.steps[1]?.status === 'running') break
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      expect(await requestPipelineCancel(other, 'to-cancel')).toBe('requested')
      const outcome = await pipeline.wait('to-cancel', { store: other, timeoutMs: 5000 })
      expect(outcome.status).toBe('cancelled')
      const state = await readPipelineState(other, 'to-cancel')
      expect(state.steps.map((s) => s.status)).toEqual(['completed', 'pending'])
      expect(await requestPipelineCancel(other, 'to-cancel')).toBe('already-terminal')
      expect(await requestPipelineCancel(other, 'nobody')).toBe('not-found')
      // The resumed run starts without the old request and completes.
      await pipeline.resume('to-cancel', { executor: fx.executor, store: fx.store })
      const resumed = await pipeline.wait('to-cancel', { store: fx.store, timeoutMs: 10_000 })
      expect(resumed).toMatchObject({ status: 'completed', result: { total: 4 } })
    } finally {
      await other.close()
      await fx.close()
    }
  })

  it('says when a store cannot carry a cancel', async () => {
    const store = { requestCancel: undefined } as unknown as SqliteRunStore
    const error = await requestPipelineCancel(store, 'x').catch((e) => e)
    expect(PluginError.is(error) && error.code).toBe('CANCEL_NOT_SUPPORTED')
  })
})
