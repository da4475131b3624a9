import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

/**
 * Test helpers (not exported by the package).
 *
 * zod: this package does not depend on it (the schemas it runs come from users' actions), and a
 * devDependency would change the root lockfile; the tests borrow core's copy, the one core's
 * types name.
 */
export { z } from '../../core/node_modules/zod'

const coreRoot = resolve(import.meta.dirname, '../../core')

/**
 * A real plugin in a temp dir, as discovery loads it. Its node_modules maps `@synapse/core` to
 * core's sources (so no build is needed) and links `zod`; see core's discovery tests.
 */
export function createTestPlugin(files: Record<string, string>): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'synapse-local-plugin-'))
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  write('package.json', JSON.stringify({ name: 'test-plugin', private: true, type: 'module' }))
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
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
