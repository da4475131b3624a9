import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCli, type RunningCli, repoRoot, runCli, startCli } from './run-cli'

let root: string
let plugin: string
let registry: string
let env: Record<string, string>

beforeAll(() => {
  buildCli()
  root = mkdtempSync(join(tmpdir(), 'synapse-publish-'))
  // The project the cache lives in lends @synapse/core to unpacked plugins, as an install would.
  symlinkSync(join(repoRoot, 'packages', 'cli', 'node_modules'), join(root, 'node_modules'), 'dir')
  plugin = join(root, 'hello')
  registry = join(root, 'registry')
  mkdirSync(join(plugin, 'src'), { recursive: true })
  writeFileSync(join(plugin, 'package.json'), '{ "type": "module" }\n')
  writeFileSync(
    join(plugin, 'config.yaml'),
    'name: Hello\ncode: hello\nversion: 1.2.0\nactions:\n  greet:\n    entrypoint: src/greet:greet\n',
  )
  writeFileSync(
    join(plugin, 'src', 'greet.js'),
    "import { defineAction } from '@synapse/core'\nexport const greet = defineAction({}, async (p) => 'hello ' + (p.name ?? 'world'))\n",
  )
  writeFileSync(join(plugin, '.env'), 'API_TOKEN=very-secret\n')
  writeFileSync(join(plugin, '.synapseignore'), 'notes/\n')
  mkdirSync(join(plugin, 'notes'))
  writeFileSync(join(plugin, 'notes', 'todo.md'), 'x')
  env = {
    SYNAPSE_PLUGIN_CACHE: join(root, '.synapse', 'plugins'),
    XDG_CONFIG_HOME: join(root, 'config'),
  }
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('synapse plugin publish', () => {
  it('--dry-run lists the files and checksum, warns about .env, writes nothing', () => {
    const r = runCli(['plugin', 'publish', '--dry-run', '--path', plugin, '--registry', registry], {
      env,
    })
    expect(r.status).toBe(0)
    expect(r.stderr).toContain('warning: .env left out of the archive: it may hold secrets')
    expect(r.stdout).toContain('hello@1.2.0')
    expect(r.stdout).toContain('  config.yaml\n')
    expect(r.stdout).not.toContain('notes/todo.md')
    expect(r.stdout).toMatch(/sha256 [0-9a-f]{64}/)
    expect(r.stdout).toContain('dry run: nothing published')
    expect(() => statSync(registry)).toThrow()
  })

  it('publishes, then refuses the same version again', () => {
    const r = runCli(['plugin', 'publish', '--yes', '--path', plugin, '--registry', registry], {
      env,
    })
    expect(r.stderr).toBe('warning: .env left out of the archive: it may hold secrets\n')
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('published hello@1.2.0')
    const before = readdirSync(join(registry, 'hello')).sort()
    const again = runCli(['plugin', 'publish', '--yes', '--path', plugin, '--registry', registry], {
      env,
    })
    expect(again.status).toBe(2)
    expect(again.stderr).toContain('VERSION_EXISTS')
    expect(again.stderr).toContain('hello@1.2.0 is already published')
    expect(readdirSync(join(registry, 'hello')).sort()).toEqual(before)
  })

  it('without --yes and no terminal, asks for --yes and publishes nothing', () => {
    writeFileSync(
      join(plugin, 'config.yaml'),
      readFileSync(join(plugin, 'config.yaml'), 'utf8').replace('1.2.0', '1.3.0'),
    )
    const r = runCli(['plugin', 'publish', '--path', plugin, '--registry', registry], { env })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('pass --yes')
    expect(readdirSync(join(registry, 'hello')).some((n) => n.startsWith('1.3.0'))).toBe(false)
  })

  it('a folder without config.yaml: exit 2 naming the file', () => {
    const empty = join(root, 'empty')
    mkdirSync(empty)
    const r = runCli(['plugin', 'publish', '--dry-run', '--path', empty], { env })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain(`Plugin config not found: ${join(empty, 'config.yaml')}`)
  })

  it('plugin run --plugin code@version runs the published release from the cache', () => {
    const args = ['plugin', 'run', 'greet', '--plugin', 'hello@1.2.0', '--registry', registry]
    const r = runCli([...args, '--params', '{"name":"registry"}', '--json', '--no-store'], {
      cwd: root,
      env,
    })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout)).toBe('hello registry')
    const cached = readdirSync(join(root, '.synapse', 'plugins', 'hello'))
    expect(cached.some((n) => n.startsWith('1.2.0-'))).toBe(true)
    // What was left out of the archive is not in the cache either.
    const dir = cached.find((n) => n.startsWith('1.2.0-'))!
    expect(readdirSync(join(root, '.synapse', 'plugins', 'hello', dir)).sort()).toEqual([
      '.synapseignore',
      'config.yaml',
      'package.json',
      'src',
    ])
    const missing = runCli(
      ['plugin', 'run', 'greet', '--plugin', 'hello@9.0.0', '--registry', registry, '--no-store'],
      { env },
    )
    expect(missing.status).toBe(2)
    expect(missing.stderr).toContain('RELEASE_NOT_FOUND')
  })
})

describe('synapse registry serve, token create, login', () => {
  let server: RunningCli
  let url: string
  const served = () => join(root, 'served')

  beforeAll(async () => {
    server = startCli(['registry', 'serve', '--dir', served(), '--port', '0'], { env })
    const deadline = Date.now() + 30_000
    while (!/listening on (\S+)/.test(server.stdout)) {
      if (Date.now() > deadline) throw new Error(`registry did not start: ${server.stdout}`)
      await new Promise((r) => setTimeout(r, 50))
    }
    url = /listening on (\S+)/.exec(server.stdout)![1]!
  })
  afterAll(async () => {
    server.child.kill('SIGTERM')
    await server.done
  })

  it('publishing without a login is a clear 401', () => {
    const r = runCli(['plugin', 'publish', '--yes', '--path', plugin, '--registry', url], { env })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('REGISTRY_UNAUTHORIZED')
    expect(r.stderr).toContain('401 Unauthorized')
  })

  it('login with a wrong token is refused and saves nothing; a good one is saved 0600, never printed', () => {
    const wrong = runCli(['login', '--registry', url], { env, input: 'syn_wrong\n' })
    expect(wrong.status).toBe(2)
    expect(wrong.stderr).toContain('401')
    expect(() => statSync(join(root, 'config', 'synapse', 'credentials.json'))).toThrow()
    const made = runCli(['registry', 'token', 'create', '--dir', served()], { env })
    expect(made.status).toBe(0)
    const token = made.stdout.trim()
    expect(token).toMatch(/^syn_/)
    const ok = runCli(['login', '--registry', url], { env, input: `${token}\n` })
    expect(ok.status).toBe(0)
    expect(ok.stdout + ok.stderr).not.toContain(token)
    const file = join(root, 'config', 'synapse', 'credentials.json')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(join(served(), '.tokens.json'), 'utf8')).not.toContain(token)
  })

  it('then publishes over HTTP and runs by code@version from another cache', () => {
    const pub = runCli(['plugin', 'publish', '--yes', '--path', plugin, '--registry', url], { env })
    expect(pub.status).toBe(0)
    expect(pub.stdout).toContain(`published hello@1.3.0 to ${url}`)
    const other = { ...env, SYNAPSE_PLUGIN_CACHE: join(root, '.synapse', 'other-cache') }
    const args = [
      'plugin',
      'run',
      'greet',
      '--plugin',
      'hello@1.3.0',
      '--registry',
      url,
      '--json',
      '--no-store',
    ]
    const r = runCli(args, { cwd: root, env: other })
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toBe('hello world')
  })
})
