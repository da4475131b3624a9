import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'

// What a plugin's behaviour depends on: its code and its config, not what it writes at run time
// (outputs, caches, markers) nor its installed dependencies.
const CODE_FILE = /\.(?:[cm]?[jt]sx?|json|ya?ml|py)$/
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.venv', '__pycache__'])

/**
 * A hash of a plugin folder's code and config (file paths and bytes, in a fixed order): equal on
 * two machines exactly when they would run the same code.
 *
 * @example
 * pluginHash('./my-plugin') // 'sha256:3b1f…'
 */
export function pluginHash(dir: string): string {
  const hash = createHash('sha256')
  for (const file of codeFiles(dir).sort()) {
    const path = relative(dir, file).split(sep).join('/')
    hash.update(`${path}\0`)
    hash.update(readFileSync(file))
    hash.update('\0')
  }
  return `sha256:${hash.digest('hex')}`
}

function codeFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) out.push(...codeFiles(path))
    } else if (entry.isFile() && CODE_FILE.test(entry.name)) out.push(path)
  }
  return out
}
