import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll } from 'vitest'

const made: string[] = []
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})

/** A fresh temporary directory, removed after the file's tests. */
export function tempDir(prefix = 'synapse-registry-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.push(dir)
  return dir
}

/** Writes `files` (relative path → text) under `root`. */
export function writeTree(root: string, files: Record<string, string>): string {
  for (const [rel, text] of Object.entries(files)) {
    const path = join(root, rel)
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, text)
  }
  return root
}

/** A minimal plugin folder, with a secret and ignorable clutter beside it. */
export function pluginFolder(version = '1.0.0', extra: Record<string, string> = {}): string {
  return writeTree(tempDir('synapse-plugin-'), {
    'config.yaml': `name: Demo\ncode: demo\nversion: ${version}\nactions:\n  greet:\n    entrypoint: src/greet:greet\n`,
    'src/greet.js': "export const greet = 'hi'\n",
    'README.md': '# demo\n',
    ...extra,
  })
}
