import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCli, repoRoot, runCli } from './run-cli'

/**
 * The README's "Write a plugin" files, taken from the README itself: each code block whose first
 * line names a file under `my-plugin/`. The test then holds the README to what it says.
 */
function readmePluginFiles(): Record<string, string> {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
  const files: Record<string, string> = {}
  for (const block of readme.matchAll(/```(?:yaml|ts)\n([\s\S]*?)```/g)) {
    const body = block[1] ?? ''
    const name = /^(?:#|\/\/) my-plugin\/(\S+)/.exec(body)?.[1]
    if (name !== undefined) files[name] = body
  }
  return files
}

let dir: string
// pnpm puts its own store on NODE_PATH for the scripts it runs; a user's shell has none of it.
const userEnv = { env: { NODE_PATH: '' } }

beforeAll(() => {
  buildCli()
  // Outside the workspace: no node_modules above it can lend the plugin a package.
  dir = join(mkdtempSync(join(tmpdir(), 'synapse-outside-')), 'my-plugin')
  for (const [name, text] of Object.entries(readmePluginFiles())) {
    mkdirSync(dirname(join(dir, name)), { recursive: true })
    writeFileSync(join(dir, name), text)
  }
})
afterAll(() => rmSync(dirname(dir), { recursive: true, force: true }))

describe('a plugin written outside the repository, as the README says', () => {
  it('the README gives config.yaml and both actions', () => {
    expect(Object.keys(readmePluginFiles()).sort()).toEqual([
      'config.yaml',
      'src/greet.ts',
      'src/train.ts',
    ])
  })

  it('before its dependencies are installed, the error says what to install and where', () => {
    const r = runCli(
      ['plugin', 'run', 'greet', '--path', dir, '--params', '{"name": "Ada"}'],
      userEnv,
    )
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('PLUGIN_DEPENDENCY_MISSING')
    expect(r.stderr).toContain(`Install it in ${dir}: npm install @synapse/core zod`)
    expect(r.stderr.split('\n')[0]).not.toContain('?namespace=')
  })

  it('after npm installs core from the checkout, both actions run', () => {
    const npm = (args: string[]) =>
      execFileSync('npm', args, {
        cwd: dir,
        stdio: 'pipe',
        env: { ...process.env, npm_config_fund: 'false' },
      })
    npm(['init', '-y'])
    npm(['pkg', 'set', 'type=module'])
    npm([
      'install',
      '--no-audit',
      '--prefer-offline',
      `file:${join(repoRoot, 'packages', 'core')}`,
      'zod@^4',
    ])
    const greet = runCli(
      ['plugin', 'run', 'greet', '--path', dir, '--params', '{"name": "Ada"}', '--json'],
      userEnv,
    )
    expect(greet.stderr).toBe('greeting Ada\n')
    expect(JSON.parse(greet.stdout)).toEqual({ message: 'Hello Ada!' })
    const train = runCli(
      ['plugin', 'run', 'train', '--path', dir, '--params', '{"epochs": 3}', '--json'],
      userEnv,
    )
    expect(train.status).toBe(0)
    expect(JSON.parse(train.stdout)).toEqual({ epochs: 3 })
  })
})
