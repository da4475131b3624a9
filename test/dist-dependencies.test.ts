import { readdirSync, readFileSync, statSync } from 'node:fs'
import { isBuiltin } from 'node:module'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

// What a user installs is a package's dist/ and its declared dependencies, nothing else. Some
// third-party code is compiled into a dist (tsup.package.ts, `bundle`) and leaves the
// dependencies: this checks that every module a built file still loads is one the package
// declares, so a bundled package cannot quietly become a missing one.
const root = join(import.meta.dirname, '..')
const packagesDir = join(root, 'packages')

const STATIC = /(?:^|[\s;}])(?:import|export)\s*(?:[^'"]*?\sfrom\s*)?["']([^"'./$\s][^"'$\s]*)["']/g
const LOADED = /(?:\bimport|\brequire)\(\s*["']([^"'./$\s][^"'$\s]*)["']\s*\)/g

function jsFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...jsFiles(path))
    else if (name.endsWith('.js')) out.push(path)
  }
  return out
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!
}

const packages = readdirSync(packagesDir).filter((name) =>
  statSync(join(packagesDir, name, 'package.json'), { throwIfNoEntry: false })?.isFile(),
)

describe('built packages', () => {
  it.each(packages)('packages/%s/dist loads only built-ins and declared dependencies', (name) => {
    const dir = join(packagesDir, name)
    const dist = join(dir, 'dist')
    expect(statSync(dist, { throwIfNoEntry: false })?.isDirectory(), 'build first').toBe(true)
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    const declared = new Set([
      manifest.name,
      ...Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }),
    ])
    const undeclared: string[] = []
    for (const file of jsFiles(dist)) {
      const text = readFileSync(file, 'utf8')
      for (const m of [...text.matchAll(STATIC), ...text.matchAll(LOADED)]) {
        const specifier = m[1]!
        if (isBuiltin(specifier) || declared.has(packageName(specifier))) continue
        undeclared.push(`${relative(root, file)} loads ${specifier}`)
      }
    }
    expect([...new Set(undeclared)]).toEqual([])
  })
})
