import { spawnSync } from 'node:child_process'
import {
  existsSync,
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
import { PassThrough } from 'node:stream'
import { CATEGORY_TEMPLATES } from '@synapse/templates'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPrompter } from '../src/ui/prompter'
import { buildCli, type CliResult, repoRoot, runCli, startCli } from './run-cli'

let dir: string
beforeAll(() => {
  buildCli()
  dir = mkdtempSync(join(tmpdir(), 'synapse-create-'))
  // The upload template's example uploads the folder `data` next to where it runs.
  mkdirSync(join(dir, 'data'))
  writeFileSync(join(dir, 'data', 'photo.jpg'), 'not really a jpeg')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const categories = Object.keys(CATEGORY_TEMPLATES) as (keyof typeof CATEGORY_TEMPLATES)[]
const codeOf = (category: string) => category.replaceAll('_', '-')

/** What each category's main action returns for its README example params. */
const expected: Record<string, (result: Record<string, unknown>) => void> = {
  neural_net: (r) => expect(r).toMatchObject({ epochs: 20, model: { sha256: expect.any(String) } }),
  export: (r) => expect(r).toMatchObject({ exportedCount: 2, failedCount: 0 }),
  upload: (r) => expect(r).toMatchObject({ uploadedCount: 1, status: 'completed' }),
  smart_tool: (r) =>
    expect(r).toEqual({
      annotations: [
        { type: 'bbox', label: 'object', bbox: { x: 10, y: 20, width: 30, height: 40 } },
      ],
    }),
  pre_annotation: (r) =>
    expect(r).toEqual({ annotations: [{ id: '1', label: 'animal' }], labelledCount: 1 }),
  post_annotation: (r) => expect(r).toEqual({ accepted: [{ id: '1', label: 'cat' }], review: [] }),
  data_validation: (r) =>
    expect(r).toEqual({
      valid: false,
      checked: 2,
      errors: [{ record: 1, field: 'label', message: 'is missing or empty' }],
    }),
  custom: (r) => expect(r).toEqual({ message: 'Hello Ada!' }),
}

describe('synapse plugin create, one plugin per category', () => {
  it('each is created, in sync with its config, runs its main action, passes its own tests, and runs by code@version once published', async () => {
    // Every step is a CLI start; two categories at a time on the machine's cores.
    const registry = join(dir, 'registry')
    // Releases unpack into the project's plugin cache and find the SDK in the project's
    // node_modules, as they do in a project that installed @synapse/core.
    const env = { SYNAPSE_PLUGIN_CACHE: join(dir, '.synapse', 'plugins') }
    const cli = async (args: string[], cwd = dir) =>
      (await startCli(args, { cwd, env }).done) as CliResult
    // The release runs from a folder of its own: the examples write their outputs where they
    // run, and refuse to overwrite what the first run wrote.
    const again = join(dir, 'again')
    mkdirSync(join(again, 'data'), { recursive: true })
    writeFileSync(join(again, 'data', 'photo.jpg'), 'not really a jpeg')
    const results: Record<
      string,
      { check: CliResult; run: CliResult; test: CliResult; publish: CliResult; byRef: CliResult }
    > = {}
    const queue = [...categories]
    await Promise.all(
      [0, 1].map(async () => {
        for (let category = queue.shift(); category !== undefined; category = queue.shift()) {
          const code = codeOf(category)
          const created = await cli([
            'plugin',
            'create',
            '--name',
            `Demo ${category}`,
            '--code',
            code,
            '--category',
            category,
            '--path',
            dir,
            '--yes',
            '--link',
          ])
          expect(created.stderr, category).toBe('')
          expect(created.status, category).toBe(0)
          expect(created.stdout).toContain(`Created synapse-${code}-plugin (${category}`)
          const root = join(dir, `synapse-${code}-plugin`)
          if (!existsSync(join(dir, 'node_modules'))) {
            symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir')
          }
          const template = CATEGORY_TEMPLATES[category]
          const params = ['--params', JSON.stringify(template.exampleParams), '--json']
          results[category] = {
            check: await cli(['plugin', 'update-config', '--check', '--path', root]),
            run: await cli(['plugin', 'run', template.main, '--path', root, ...params]),
            test: await cli(['plugin', 'test', '--path', root]),
            publish: await cli([
              'plugin',
              'publish',
              '--path',
              root,
              '--registry',
              registry,
              '--yes',
            ]),
            byRef: await cli(
              [
                'plugin',
                'run',
                template.main,
                '--plugin',
                `${code}@0.1.0`,
                '--registry',
                registry,
                ...params,
              ],
              again,
            ),
          }
        }
      }),
    )
    for (const category of categories) {
      const { check, run, test, publish, byRef } = results[category]!
      expect(check.stdout, category).toContain('is in sync with the code')
      expect(check.status, category).toBe(0)
      expect(run.status, `${category}: ${run.stderr}`).toBe(0)
      expected[category]!(JSON.parse(run.stdout) as Record<string, unknown>)
      expect(test.status, `${category}:\n${test.stdout}\n${test.stderr}`).toBe(0)
      expect(test.stdout).toMatch(/Tests\s+\S*\d+ passed/)
      expect(publish.status, `${category}: ${publish.stderr}`).toBe(0)
      expect(byRef.status, `${category}: ${byRef.stderr}`).toBe(0)
      expected[category]!(JSON.parse(byRef.stdout) as Record<string, unknown>)
    }
  }, 120_000)

  it('every generated plugin typechecks under its own strict tsconfig', () => {
    // One tsc over all of them: their tsconfig's options, @types/node from the checkout.
    const options = JSON.parse(
      readFileSync(join(dir, 'synapse-custom-plugin', 'tsconfig.json'), 'utf8'),
    ).compilerOptions
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: options,
        include: ['synapse-*-plugin/src', 'synapse-*-plugin/test'],
      }),
    )
    mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true })
    symlinkSync(
      join(repoRoot, 'node_modules', '@types', 'node'),
      join(dir, 'node_modules', '@types', 'node'),
      'dir',
    )
    const tsc = spawnSync(
      process.execPath,
      [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir],
      { encoding: 'utf8' },
    )
    expect(tsc.stdout + tsc.stderr).toBe('')
    expect(tsc.status).toBe(0)
  })

  it('plugin test passes a failing exit code through', () => {
    const root = join(dir, 'synapse-custom-plugin')
    writeFileSync(
      join(root, 'test', 'broken.test.ts'),
      "import { it, expect } from 'vitest'\nit('fails', () => expect(1).toBe(2))\n",
    )
    const r = runCli(['plugin', 'test', '--path', root])
    rmSync(join(root, 'test', 'broken.test.ts'))
    expect(r.status).toBe(1)
    expect(r.stdout).toContain('1 failed')
  })
})

describe('synapse plugin create: bad input writes nothing', () => {
  const entries = () => readdirSync(dir).sort()

  it.each([
    [['--code', 'My_Plugin'], /PLUGIN_CODE_INVALID.*Invalid plugin code 'My_Plugin'/],
    [
      ['--code', 'ok', '--category', 'robotics'],
      /TEMPLATE_NOT_FOUND.*No template for category 'robotics'; the templates are: neural_net, /,
    ],
    [['--name', '***'], /PLUGIN_CODE_INVALID.*give --code/],
    [[], /PLUGIN_CODE_INVALID.*give --code/],
  ])('%j: exit 2 with the reason', (args, message) => {
    const before = entries()
    const r = runCli(['plugin', 'create', '--path', dir, '--yes', ...args])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(entries()).toEqual(before)
  })

  it('an existing non-empty folder is refused and left as it was', () => {
    const target = join(dir, 'synapse-taken-plugin')
    mkdirSync(target)
    writeFileSync(join(target, 'mine.txt'), 'keep me')
    const before = entries()
    const r = runCli(['plugin', 'create', '--code', 'taken', '--path', dir, '--yes'])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(
      /PLUGIN_TARGET_EXISTS.*synapse-taken-plugin already exists and is not empty/,
    )
    expect(readdirSync(target)).toEqual(['mine.txt'])
    expect(entries()).toEqual(before)
  })

  it('without --link, package.json takes the SDK from this checkout and no node_modules is left', () => {
    const r = runCli([
      'plugin',
      'create',
      '--name',
      'YOLOv8 Detection',
      '--category',
      'neural_net',
      '--path',
      join(dir, 'nested', 'plugins'),
      '--yes',
    ])
    expect(r.status, r.stderr).toBe(0)
    const root = join(dir, 'nested', 'plugins', 'synapse-yolov8-detection-plugin')
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    expect(pkg.dependencies['@synapse/actions']).toMatch(/^file:\/.*packages\/actions$/)
    expect(existsSync(join(root, 'node_modules'))).toBe(false)
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain('`file:` paths')
    // The params form of train was still derived from the code.
    expect(readFileSync(join(root, 'config.yaml'), 'utf8')).toContain('name: learningRate')
  })
})

// `script` (util-linux) runs the CLI on a pseudo-terminal, as a person at a terminal would.
const hasScript = spawnSync('script', ['--version']).status === 0

describe('the prompts of plugin create', () => {
  it.skipIf(!hasScript)(
    'on a terminal, asks what the flags leave out and confirms before writing',
    () => {
      const bin = join(repoRoot, 'packages', 'cli', 'bin', 'run.js')
      const target = join(dir, 'asked')
      mkdirSync(target)
      const command = [process.execPath, bin, 'plugin', 'create', '--path', target, '--link']
      // The answers, typed ahead: a name, the code derived from it, a category by name, yes.
      const r = spawnSync('script', ['-qec', command.map((a) => `'${a}'`).join(' '), '/dev/null'], {
        input: 'Asked Demo\n\ncustom\ny\n',
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
        timeout: 60_000,
      })
      const shown = r.stdout.replaceAll('\r', '')
      expect(r.status, shown).toBe(0)
      expect(shown).toContain('Plugin name')
      expect(shown).toContain('Create these files? [Y/n]')
      expect(shown).toContain('Created')
      const config = readFileSync(join(target, 'synapse-asked-demo-plugin', 'config.yaml'), 'utf8')
      expect(config).toContain('code: asked-demo')
      expect(config).toContain('category: custom')
    },
  )

  it('read answers by number or name, re-ask on a wrong one, and take defaults on empty lines', async () => {
    const input = new PassThrough()
    const output = new PassThrough()
    let shown = ''
    output.on('data', (chunk: Buffer) => {
      shown += chunk.toString()
    })
    const p = createPrompter(input, output)
    input.end('My Tool\n\nseven\n2\n1, 3\n\nn\n')
    expect(await p.text('Plugin name')).toBe('My Tool')
    expect(await p.text('Plugin code', 'my-tool')).toBe('my-tool')
    expect(
      await p.choose('Category', ['custom', 'export'], { multiple: false, fallback: ['custom'] }),
    ).toEqual(['export'])
    expect(shown).toContain("'seven' is not one of the choices above")
    expect(
      await p.choose('Types', ['image', 'video', 'audio'], { multiple: true, fallback: ['image'] }),
    ).toEqual(['image', 'audio'])
    expect(await p.choose('Types', ['image'], { multiple: true, fallback: ['image'] })).toEqual([
      'image',
    ])
    expect(await p.confirm('Create?', true)).toBe(false)
    p.close()
  })
})
