import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/**
 * The folder of the `@synapse/core` package this module belongs to. From source this file is
 * `src/testing/`, from a build a chunk under `dist/`: walking up to the package.json finds the
 * package either way, and copes with the bundler choosing where the code lands.
 */
function findCoreRoot(from: string): string {
  let dir = from
  while (true) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }
      if (name === '@synapse/core') return dir
    }
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`@synapse/core not found above ${from}`)
    dir = parent
  }
}

const coreRoot = findCoreRoot(import.meta.dirname)
// Running from `src/` (vitest with the `@synapse/source` condition, tsx) rather than `dist/`.
const fromSource = import.meta.url.endsWith('.ts')

/** A plugin folder written by {@link createTestPlugin}. */
export interface TestPlugin {
  dir: string
  /** Writes (or overwrites) a file under the plugin dir. */
  write(path: string, text: string): void
  remove(): void
}

/**
 * Real plugins on disk for tests: a temp dir with config.yaml and TypeScript sources that import
 * `@synapse/core` and `zod` exactly as a user's plugin does, loaded through tsx by discovery.
 *
 * The plugin's `node_modules/@synapse/core` is the core this helper comes from. From a build it
 * is the package folder itself (so the plugin loads `dist/`, as an installed one does); from
 * source it is a small package re-exporting `src/index.ts`, so tests need no build and exercise
 * the current sources. `zod` is linked to core's own. The plugin still gets its own copy of core,
 * as a real one does: the host recognises its actions and errors by their `Symbol.for` brands,
 * not by identity.
 *
 * `moduleType: 'none'` leaves out the plugin's package.json, so Node treats its `.ts` as CommonJS.
 *
 * @example
 * const plugin = createTestPlugin({
 *   'config.yaml': 'name: Demo\ncode: demo\nactions:\n  hello:\n    entrypoint: main:hello\n',
 *   'main.ts': "import { defineAction } from '@synapse/core'\nexport const hello = defineAction({}, () => 'hi')\n",
 * })
 * try { await PluginDiscovery.fromPath(plugin.dir).getAction('hello') } finally { plugin.remove() }
 */
export function createTestPlugin(
  files: Record<string, string>,
  options: { moduleType?: 'module' | 'none' } = {},
): TestPlugin {
  const dir = mkdtempSync(join(tmpdir(), 'synapse-plugin-'))
  const write = (path: string, text: string) => {
    const file = join(dir, path)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, text)
  }
  if (options.moduleType !== 'none') {
    write('package.json', JSON.stringify({ name: 'test-plugin', private: true, type: 'module' }))
  }
  if (fromSource) {
    write(
      'node_modules/@synapse/core/package.json',
      JSON.stringify({ name: '@synapse/core', type: 'module', exports: './index.ts' }),
    )
    write(
      'node_modules/@synapse/core/index.ts',
      `export * from ${JSON.stringify(join(coreRoot, 'src/index.ts'))}\n`,
    )
  } else {
    mkdirSync(join(dir, 'node_modules/@synapse'), { recursive: true })
    symlinkSync(coreRoot, join(dir, 'node_modules/@synapse/core'), 'dir')
  }
  const zodRoot = dirname(createRequire(join(coreRoot, 'package.json')).resolve('zod/package.json'))
  symlinkSync(zodRoot, join(dir, 'node_modules/zod'), 'dir')
  for (const [path, text] of Object.entries(files)) write(path, text)
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
