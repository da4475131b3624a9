import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineAction } from '../action/define-action'
import { PluginEnvironment } from '../context/plugin-environment'
import { createTestPlugin } from '../testing/create-test-plugin'
import { thrownError } from '../testing/thrown-error'
import { createRunSpec, loadRunSpec, parseRunSpec } from './run-spec'

const action = defineAction({ params: z.object({ at: z.string() }) }, async () => 1)

describe('run spec', () => {
  it('is plain JSON that survives a round trip and parses back the same', () => {
    const spec = createRunSpec(
      {
        action,
        params: { at: 'x', when: new Date(0) },
        source: { pluginPath: '/plugins/p', action: 'train' },
        env: new PluginEnvironment({ API_TOKEN: 'sk-1234' }),
        checkpoint: { category: 'base', path: '/w.pt' },
        parentRunId: 'pipe-1',
      },
      'run-1',
    )
    expect(spec).toEqual({
      specVersion: 1,
      runId: 'run-1',
      plugin: { path: '/plugins/p' },
      action: 'train',
      params: { at: 'x', when: '1970-01-01T00:00:00.000Z' },
      env: { API_TOKEN: 'sk-1234' },
      checkpoint: { category: 'base', path: '/w.pt' },
      parentRunId: 'pipe-1',
    })
    expect(parseRunSpec(JSON.parse(JSON.stringify(spec)))).toEqual(spec)
  })

  it('needs to know where the action comes from', () => {
    const error = thrownError(() => createRunSpec({ action, params: {} }, 'run-1'))
    expect(error.code).toBe('INVALID_RUN_SPEC')
    expect(error.message).toMatch(/source/)
  })

  it('params that have no JSON form fail as bad input, naming the path', () => {
    const error = thrownError(() =>
      createRunSpec(
        { action, params: { cb: () => 1 }, source: { pluginPath: '/p', action: 'a' } },
        'run-1',
      ),
    )
    expect(error.code).toBe('PARAMS_NOT_ENCODABLE')
    expect(error.message).toContain('at cb')
  })

  it('a bad spec lists every issue by its path', () => {
    const error = thrownError(() =>
      parseRunSpec({ specVersion: 2, runId: '../x', plugin: {}, action: '', params: {} }),
    )
    expect(error.code).toBe('INVALID_RUN_SPEC')
    for (const path of ['specVersion', 'runId', 'plugin', 'action']) {
      expect(error.message).toContain(path)
    }
  })

  it('the receiving side loads the action from the spec alone', async () => {
    const plugin = createTestPlugin({
      'config.yaml': [
        'name: Spec plugin',
        'code: spec-plugin',
        'category: custom',
        'actions:',
        '  echo:',
        '    entrypoint: src/echo:echo',
      ].join('\n'),
      'src/echo.ts': [
        "import { defineAction } from '@synapse/core'",
        "import { z } from 'zod'",
        'export const echo = defineAction({ params: z.object({ n: z.number() }) }, async (p) => p)',
      ].join('\n'),
    })
    try {
      const request = await loadRunSpec({
        specVersion: 1,
        runId: 'run-9',
        plugin: { path: plugin.dir },
        action: 'echo',
        params: { n: 2 },
        env: { KEY: 'v' },
      })
      expect(request.runId).toBe('run-9')
      expect(request.action.name).toBe('echo')
      expect(request.params).toEqual({ n: 2 })
      expect(request.env?.getStr('KEY')).toBe('v')
      expect(request.source).toEqual({ pluginPath: plugin.dir, action: 'echo' })
    } finally {
      plugin.remove()
    }
  })

  it('a published plugin reference is refused clearly until a registry exists', async () => {
    await expect(
      loadRunSpec({
        specVersion: 1,
        runId: 'run-9',
        plugin: { code: 'yolo', version: '1.0.0' },
        action: 'train',
        params: {},
      }),
    ).rejects.toMatchObject({ code: 'INVALID_RUN_SPEC', message: /yolo@1\.0\.0/ })
  })
})
