import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

/**
 * Real plugins on disk for tests: a temp dir with config.yaml and TypeScript sources that import
 * `@synapse/core` and `zod` exactly as a user's plugin does, loaded through tsx by discovery.
 *
 * Resolution: an installed plugin finds `@synapse/core` through node_modules, whose package
 * resolves to `dist/` (a build). So that tests need no build and exercise the current sources
 * (as vitest's `@synapse/source` condition does for in-repo tests), each plugin gets a
 * node_modules with an `@synapse/core` package that re-exports `packages/core/src`, and `zod`
 * linked to core's own. The plugin still gets its own copy of core, as a real one does: the host
 * recognises its actions and errors by their `Symbol.for` brands, not by identity.
 */
const coreRoot = resolve(import.meta.dirname, '../..')

export interface TestPlugin {
  dir: string
  /** Writes (or overwrites) a file under the plugin dir. */
  write(path: string, text: string): void
  remove(): void
}

/** `moduleType: 'none'` leaves out the plugin's package.json, so Node treats its `.ts` as CommonJS. */
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
  write(
    'node_modules/@synapse/core/package.json',
    JSON.stringify({ name: '@synapse/core', type: 'module', exports: './index.ts' }),
  )
  write(
    'node_modules/@synapse/core/index.ts',
    `export * from ${JSON.stringify(join(coreRoot, 'src/index.ts'))}\n`,
  )
  symlinkSync(join(coreRoot, 'node_modules/zod'), join(dir, 'node_modules/zod'), 'dir')
  for (const [path, text] of Object.entries(files)) write(path, text)
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
