import { existsSync } from 'node:fs'
import { join } from 'node:path'
import {
  defaultStorePath,
  MEMORY_PATH,
  openRunStore,
  resolveStorePath,
  SYNAPSE_STORE_ENV,
} from '@synapse/store-sqlite'
import { describe, expect, it } from 'vitest'
import { tempDir } from './helpers'

describe('where the store lives', () => {
  it('defaults to .synapse/synapse.db under the working directory', () => {
    expect(defaultStorePath('/work/plugin')).toBe('/work/plugin/.synapse/synapse.db')
    expect(defaultStorePath()).toBe(join(process.cwd(), '.synapse', 'synapse.db'))
    expect(resolveStorePath({ cwd: '/work/plugin', env: {} })).toBe(
      '/work/plugin/.synapse/synapse.db',
    )
  })

  it('takes $SYNAPSE_STORE over the default and an explicit path over both', () => {
    expect(SYNAPSE_STORE_ENV).toBe('SYNAPSE_STORE')
    const env = { [SYNAPSE_STORE_ENV]: 'runs/store.db' }
    expect(resolveStorePath({ cwd: '/work/plugin', env })).toBe('/work/plugin/runs/store.db')
    expect(resolveStorePath({ cwd: '/work/plugin', env, path: '/tmp/x.db' })).toBe('/tmp/x.db')
    // An empty variable is unset, not "the working directory".
    expect(resolveStorePath({ cwd: '/w', env: { [SYNAPSE_STORE_ENV]: ' ' } })).toBe(
      '/w/.synapse/synapse.db',
    )
    expect(resolveStorePath({ path: MEMORY_PATH })).toBe(':memory:')
  })

  it('opens the default store under cwd, creating its folder', async () => {
    const cwd = tempDir()
    const store = await openRunStore({ cwd, env: {} })
    try {
      expect(store.path).toBe(join(cwd, '.synapse', 'synapse.db'))
      expect(existsSync(store.path)).toBe(true)
    } finally {
      await store.close()
    }
  })

  it('opens an in-memory store that works like a file store', async () => {
    const store = await openRunStore({ path: MEMORY_PATH })
    try {
      const { created } = await store.createRun({
        runId: 'r1',
        action: 'a',
        executor: 'local',
        params: {},
      })
      expect(created).toBe(true)
      expect((await store.listRuns()).map((r) => r.runId)).toEqual(['r1'])
    } finally {
      await store.close()
    }
  })
})
