import { existsSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { ExecutorRegistry, PluginError, runPlugin } from '@synapse/core'
import { LocalExecutor } from '@synapse/executor-local'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  HttpRegistry,
  LocalRegistry,
  openRegistry,
  prepareRelease,
  publishRelease,
  RegistryInstaller,
  RegistryTokens,
  type RunningRegistryServer,
  readRegistryToken,
  saveRegistryToken,
  startRegistryServer,
} from '../src/index'
import { pluginFolder, tempDir } from './helpers'

async function rejection(promise: Promise<unknown>): Promise<PluginError> {
  try {
    await promise
  } catch (error) {
    if (PluginError.is(error)) return error
    throw error
  }
  throw new Error('expected a rejection')
}

const repoRoot = join(import.meta.dirname, '..', '..', '..')

/** A plugin whose action really runs: it imports @synapse/core from the repository. */
function runnablePlugin(version: string): string {
  const dir = pluginFolder(version, {
    'package.json': '{ "type": "module" }\n',
    'src/greet.js':
      "import { defineAction } from '@synapse/core'\nexport const greet = defineAction({}, async (params) => 'hello ' + (params.name ?? 'world'))\n",
  })
  return dir
}

describe('LocalRegistry', () => {
  it('publishes, lists and resolves; the same version again is refused and changes nothing', async () => {
    const registry = new LocalRegistry(tempDir())
    const prepared = await prepareRelease(pluginFolder('1.0.0'))
    const release = await publishRelease(registry, prepared)
    expect(release).toMatchObject({
      code: 'demo',
      version: '1.0.0',
      checksum: prepared.packed.checksum,
    })
    await publishRelease(registry, await prepareRelease(pluginFolder('1.10.0')))
    await publishRelease(registry, await prepareRelease(pluginFolder('1.9.0')))
    expect(await registry.versions('demo')).toEqual(['1.0.0', '1.9.0', '1.10.0'])
    const before = readdirSync(join(registry.dir, 'demo')).sort()
    const again = await prepareRelease(pluginFolder('1.0.0', { 'NEW.md': 'changed' }))
    const error = await rejection(publishRelease(registry, again))
    expect(error.code).toBe('VERSION_EXISTS')
    expect(error.message).toContain('demo@1.0.0 is already published')
    // The registry itself refuses too, for a publisher that skipped the check.
    const direct = await rejection(
      registry.publish(again.packed.archive, {
        code: 'demo',
        version: '1.0.0',
        checksum: again.packed.checksum,
        files: again.packed.files,
      }),
    )
    expect(direct.code).toBe('VERSION_EXISTS')
    expect(readdirSync(join(registry.dir, 'demo')).sort()).toEqual(before)
    expect((await registry.resolve('demo', '1.0.0')).release.checksum).toBe(
      prepared.packed.checksum,
    )
  })

  it('a plugin folder without config.yaml is a clear error, nothing published', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'README.md'), 'no config')
    let error: PluginError | undefined
    try {
      await prepareRelease(dir)
    } catch (e) {
      error = e as PluginError
    }
    expect(error?.code).toBe('CONFIG_NOT_FOUND')
    expect(error?.message).toContain(join(dir, 'config.yaml'))
  })

  it('refuses an archive whose checksum is not the one claimed, and codes with path tricks', async () => {
    const registry = new LocalRegistry(tempDir())
    const { packed } = await prepareRelease(pluginFolder())
    const bad = await rejection(
      registry.publish(packed.archive, {
        code: 'demo',
        version: '1.0.0',
        checksum: '0'.repeat(64),
        files: [],
      }),
    )
    expect(bad.code).toBe('CHECKSUM_MISMATCH')
    const tricky = await rejection(
      registry.publish(packed.archive, {
        code: '../etc',
        version: '1.0.0',
        checksum: packed.checksum,
        files: [],
      }),
    )
    expect(tricky.code).toBe('INVALID_PLUGIN_REF')
    const version = await rejection(registry.resolve('demo', '../../x'))
    expect(version.code).toBe('INVALID_PLUGIN_REF')
    expect(readdirSync(registry.dir)).toEqual([])
  })
})

describe('runPlugin by code@version', () => {
  let cacheRoot: string
  beforeAll(() => {
    cacheRoot = tempDir()
    // The cache sits in a project whose node_modules has @synapse/core, as after an install.
    symlinkSync(
      join(repoRoot, 'packages', 'cli', 'node_modules'),
      join(cacheRoot, 'node_modules'),
      'dir',
    )
  })

  it('fetches into the cache, checks, unpacks and runs; the second run reuses the cache', async () => {
    const registry = new LocalRegistry(tempDir())
    await publishRelease(registry, await prepareRelease(runnablePlugin('2.0.0')))
    const installer = new RegistryInstaller(registry, join(cacheRoot, 'plugins'))
    const executors = new ExecutorRegistry().register('local', new LocalExecutor())
    const result = await runPlugin({
      plugin: 'demo@2.0.0',
      action: 'greet',
      params: { name: 'cache' },
      executors,
      installer,
    })
    expect(result).toBe('hello cache')
    const dir = await installer.install('demo', '2.0.0')
    expect(dir.startsWith(join(cacheRoot, 'plugins', 'demo', '2.0.0-'))).toBe(true)
    // Reused without asking the registry: a fresh installer over an empty registry finds it.
    const offline = new RegistryInstaller(new LocalRegistry(tempDir()), join(cacheRoot, 'plugins'))
    expect(await offline.install('demo', '2.0.0')).toBe(dir)
    await executors.close()
  })

  it('a reference without a registry, or to a missing release, is a clear error', async () => {
    const executors = new ExecutorRegistry().register('local', new LocalExecutor())
    const none = await rejection(runPlugin({ plugin: 'demo@9.9.9', action: 'greet', executors }))
    expect(none.code).toBe('REGISTRY_REQUIRED')
    const installer = new RegistryInstaller(new LocalRegistry(tempDir()), join(cacheRoot, 'p2'))
    const missing = await rejection(
      runPlugin({ plugin: 'demo@9.9.9', action: 'greet', executors, installer }),
    )
    expect(missing.code).toBe('RELEASE_NOT_FOUND')
    expect(existsSync(join(cacheRoot, 'p2', 'demo'))).toBe(false)
    await executors.close()
  })
})

describe('HTTP registry on loopback', () => {
  let server: RunningRegistryServer
  let dir: string
  let token: string
  beforeAll(async () => {
    dir = tempDir()
    token = new RegistryTokens(dir).create('ci').token
    server = await startRegistryServer({ dir })
  })
  afterAll(() => server.close())

  it('keeps only a hash of the token, in an owner-only file', () => {
    const file = join(dir, '.tokens.json')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const text = JSON.stringify(new RegistryTokens(dir).list())
    expect(text).not.toContain(token)
  })

  it('publishes, lists, resolves and installs over HTTP', async () => {
    const registry = new HttpRegistry(server.url, token)
    const prepared = await prepareRelease(pluginFolder('3.0.0'))
    await publishRelease(registry, prepared)
    expect(await registry.versions('demo')).toEqual(['3.0.0'])
    const { archive, release } = await registry.resolve('demo', '3.0.0')
    expect(Buffer.from(archive).equals(Buffer.from(prepared.packed.archive))).toBe(true)
    expect(release.files).toEqual(prepared.packed.files)
    const again = await rejection(publishRelease(registry, prepared))
    expect(again.code).toBe('VERSION_EXISTS')
    const installed = await new RegistryInstaller(registry, join(tempDir(), 'cache')).install(
      'demo',
      '3.0.0',
    )
    expect(existsSync(join(installed, 'config.yaml'))).toBe(true)
  })

  it('a missing or wrong token is a clear 401 error', async () => {
    const missing = await rejection(new HttpRegistry(server.url).versions('demo'))
    expect(missing.code).toBe('REGISTRY_UNAUTHORIZED')
    expect(missing.message).toContain('401 Unauthorized: no token given')
    const wrong = await rejection(new HttpRegistry(server.url, 'syn_nope').versions('demo'))
    expect(wrong.code).toBe('REGISTRY_UNAUTHORIZED')
    expect(wrong.message).toContain('token was refused')
    expect(wrong.message).not.toContain('syn_nope')
  })

  it.each([
    '/v1/plugins/../.tokens.json',
    '/v1/plugins/%2e%2e/.tokens.json',
    '/v1/plugins/demo/..%2f..%2f.tokens.json',
    '/v1/plugins/demo/%2E%2E/archive',
    '/v1/plugins/.tokens.json',
    '/v1/plugins/Demo_X/1.0.0',
  ])('refuses the path trick %s with 400', async (path) => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      // The path goes out as written: a URL object would resolve the dots before sending.
      const { hostname, port } = new URL(server.url)
      const headers = { authorization: `Bearer ${token}` }
      const req = request({ hostname, port, path, headers }, (res) => {
        let body = ''
        res.setEncoding('utf8').on('data', (c: string) => {
          body += c
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
      req.on('error', reject)
      req.end()
    })
    expect(answer.status).toBe(400)
    expect(JSON.parse(answer.body).error.code).toBe('INVALID_PLUGIN_REF')
    expect(answer.body).not.toContain('sha256')
  })

  it('the client refuses a ../ code before sending anything', async () => {
    const error = await rejection(new HttpRegistry(server.url, token).resolve('../x', '1.0.0'))
    expect(error.code).toBe('INVALID_PLUGIN_REF')
  })

  it('login credentials: saved 0600 under XDG_CONFIG_HOME, read back by openRegistry', async () => {
    const env = { XDG_CONFIG_HOME: tempDir() }
    const path = saveRegistryToken(server.url, token, env)
    expect(path).toBe(join(env.XDG_CONFIG_HOME, 'synapse', 'credentials.json'))
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readRegistryToken(`${server.url}/`, env)).toBe(token)
    const registry = openRegistry(server.url, env)
    expect(await registry.versions('demo')).toEqual(['3.0.0'])
  })
})
