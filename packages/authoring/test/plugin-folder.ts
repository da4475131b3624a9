import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

const packageModules = join(import.meta.dirname, '..', 'node_modules')

/**
 * A real plugin folder with the given files, outside the repository. Its `node_modules` is this
 * package's, so its imports of `@synapse/core` and `zod` resolve as an installed plugin's do.
 */
export function pluginFolder(files: Record<string, string>): { root: string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), 'synapse-authoring-'))
  symlinkSync(packageModules, join(root, 'node_modules'), 'dir')
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n')
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true })
    writeFileSync(join(root, name), text)
  }
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) }
}
