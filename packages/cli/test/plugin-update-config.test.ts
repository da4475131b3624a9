import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCli, repoRoot, runCli } from './run-cli'

let dir: string
const config = () => readFileSync(join(dir, 'config.yaml'), 'utf8')

beforeAll(() => {
  buildCli()
  dir = mkdtempSync(join(tmpdir(), 'synapse-update-config-'))
  // The CLI package's node_modules lends the plugin @synapse/core, as an install would.
  symlinkSync(join(repoRoot, 'packages', 'cli', 'node_modules'), join(dir, 'node_modules'), 'dir')
  mkdirSync(join(dir, 'src'))
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
  writeFileSync(
    join(dir, 'config.yaml'),
    '# Demo plugin\nname: Demo\ncode: demo\nactions:\n  greet:\n    entrypoint: src/greet:greet  # the first one\n',
  )
  writeFileSync(
    join(dir, 'src', 'greet.ts'),
    "import { defineAction } from '@synapse/core'\nexport const greet = defineAction({}, async () => 'hi')\nexport const WaveAction = defineAction({ method: 'job' }, async () => 'wave')\n",
  )
  // A module whose import is not installed: its action is still found from the source.
  writeFileSync(
    join(dir, 'src', 'export.ts'),
    "import { BaseExportAction } from '@acme/not-installed'\nexport class ExportAction extends BaseExportAction {}\n",
  )
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('synapse plugin update-config', () => {
  it('--check: lists the drift, exits 1, writes nothing', () => {
    const before = config()
    const { status, stdout, stderr } = runCli(['plugin', 'update-config', '--check', '--path', dir])
    expect(status).toBe(1)
    expect(stdout).toContain("new action 'export' (src/export:ExportAction)")
    expect(stdout).toContain("new action 'wave' (src/greet:WaveAction)")
    expect(stderr).toMatch(
      /warning: .*src\/export\.ts:2:1 could not import \(export known from the source only\)/,
    )
    expect(config()).toBe(before)
  })

  it('writes the changes keeping comments, then --check passes', () => {
    const { status, stdout } = runCli(['plugin', 'update-config', '--path', dir])
    expect(status).toBe(0)
    expect(stdout).toContain('updated:')
    const text = config()
    expect(text).toContain('# Demo plugin\n')
    expect(text).toContain('entrypoint: src/greet:greet # the first one')
    expect(text).toContain('  wave:\n    entrypoint: src/greet:WaveAction\n    method: job\n')
    const check = runCli(['plugin', 'update-config', '--check', '--path', dir])
    expect(check.status).toBe(0)
    expect(check.stdout).toContain('is in sync with the code')
  })

  it('a broken config.yaml: exit 2 with file:line:col, the file untouched', () => {
    const broken = 'name: Demo\ncode: demo\nactions: [1, 2\n'
    writeFileSync(join(dir, 'config.yaml'), broken)
    const { status, stderr } = runCli(['plugin', 'update-config', '--path', dir])
    expect(status).toBe(2)
    expect(stderr).toMatch(/config\.yaml:\d+:\d+/)
    expect(config()).toBe(broken)
  })
})

describe('the examples', () => {
  const examples = readdirSync(join(repoRoot, 'examples'))
  it.each(examples)('examples/%s: config.yaml is in sync with its code', (name) => {
    const { status, stdout } = runCli([
      'plugin',
      'update-config',
      '--check',
      '--path',
      join(repoRoot, 'examples', name),
    ])
    expect(stdout).toContain('is in sync with the code')
    expect(status).toBe(0)
  })
})
