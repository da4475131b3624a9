import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { describe, expect, it } from 'vitest'

// The plan of the house, as data: which workspace packages each package may depend on. Imports
// point down the floors only; core knows no executor, no format, no screen.
const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  templates: ['core'],
  'store-sqlite': ['core'],
  authoring: ['core'],
  'executor-local': ['core'],
  // The queue's workers run each action through the local executor, in-process or in a child.
  'executor-queue': ['core', 'executor-local'],
  datasets: ['core'],
  pipelines: ['core'],
  steps: ['core'],
  registry: ['core'],
  actions: ['core', 'steps', 'datasets'],
  cli: [
    'core',
    'actions',
    'authoring',
    'datasets',
    'executor-local',
    'executor-queue',
    'pipelines',
    'registry',
    'store-sqlite',
    'templates',
  ],
}

const root = resolve(import.meta.dirname, '..')
const packagesDir = join(root, 'packages')

interface SourceImport {
  file: string
  specifier: string
  typeOnly: boolean
}

function sourceFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'fixtures') continue
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path))
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(path)
  }
  return out
}

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/g
const DYNAMIC = /import\(\s*['"]([^'"]+)['"]\s*\)/g

function importsOf(file: string): SourceImport[] {
  const text = readFileSync(file, 'utf8')
  const found: SourceImport[] = []
  for (const m of text.matchAll(IMPORT)) {
    found.push({ file, specifier: m[3]!, typeOnly: m[2] !== undefined })
  }
  for (const m of text.matchAll(DYNAMIC)) found.push({ file, specifier: m[1]!, typeOnly: false })
  return found
}

const packages = readdirSync(packagesDir).filter((name) =>
  statSync(join(packagesDir, name, 'package.json'), { throwIfNoEntry: false })?.isFile(),
)
const scanned = [
  ...packages.map((name) => join(packagesDir, name)),
  join(root, 'examples'),
  join(root, 'bench'),
]

/** The package folder a path lies in, or undefined outside packages/. */
function packageOf(path: string): string | undefined {
  const rel = relative(packagesDir, path)
  if (rel.startsWith('..')) return undefined
  return rel.split(sep)[0]
}

describe('package boundaries', () => {
  it('every workspace package has a floor in the plan', () => {
    expect(packages.filter((name) => ALLOWED[name] === undefined)).toEqual([])
  })

  it("no file imports another package's src/ or test/, or a deep path into it", () => {
    const offending: string[] = []
    for (const dir of scanned) {
      for (const file of sourceFiles(dir)) {
        for (const { specifier } of importsOf(file)) {
          if (/^@synapse\/[^/]+\/(src|test|dist)(\/|$)/.test(specifier)) {
            offending.push(`${relative(root, file)} imports ${specifier}`)
            continue
          }
          if (!specifier.startsWith('.')) continue
          const target = resolve(dirname(file), specifier)
          const from = packageOf(file)
          const to = packageOf(target)
          if (to !== undefined && to !== from) {
            offending.push(`${relative(root, file)} reaches into packages/${to} (${specifier})`)
          }
        }
      }
    }
    expect(offending).toEqual([])
  })

  it('packages import and depend only on the floors below them', () => {
    const offending: string[] = []
    for (const name of packages) {
      const allowed = new Set(ALLOWED[name] ?? [])
      const manifest = JSON.parse(readFileSync(join(packagesDir, name, 'package.json'), 'utf8'))
      const deps = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })
      for (const dep of deps.filter((d) => d.startsWith('@synapse/'))) {
        if (!allowed.has(dep.slice('@synapse/'.length))) {
          offending.push(`packages/${name}/package.json depends on ${dep}`)
        }
      }
      for (const file of sourceFiles(join(packagesDir, name, 'src'))) {
        for (const { specifier } of importsOf(file)) {
          const m = /^@synapse\/([^/]+)/.exec(specifier)
          if (m !== null && m[1] !== name && !allowed.has(m[1]!)) {
            offending.push(`${relative(root, file)} imports ${specifier}`)
          }
        }
      }
    }
    expect(offending).toEqual([])
  })

  it('no import cycle between the source files of a package', () => {
    const cycles: string[] = []
    for (const name of packages) {
      const files = sourceFiles(join(packagesDir, name, 'src')).filter((f) => !f.includes('.test.'))
      const graph = new Map<string, string[]>()
      for (const file of files) {
        const edges: string[] = []
        for (const { specifier, typeOnly } of importsOf(file)) {
          // Type-only imports vanish at run time: they cannot make a module load before its
          // dependency is ready.
          if (typeOnly || !specifier.startsWith('.')) continue
          const base = resolve(dirname(file), specifier)
          const target = [base, `${base}.ts`, join(base, 'index.ts')].find((p) => files.includes(p))
          if (target !== undefined) edges.push(target)
        }
        graph.set(file, edges)
      }
      const state = new Map<string, 'open' | 'done'>()
      const stack: string[] = []
      const visit = (file: string): void => {
        state.set(file, 'open')
        stack.push(file)
        for (const next of graph.get(file) ?? []) {
          if (state.get(next) === 'open') {
            const cycle = stack.slice(stack.indexOf(next)).concat(next)
            cycles.push(cycle.map((f) => relative(root, f)).join(' → '))
          } else if (state.get(next) === undefined) visit(next)
        }
        stack.pop()
        state.set(file, 'done')
      }
      for (const file of files) if (state.get(file) === undefined) visit(file)
    }
    expect(cycles).toEqual([])
  })
})
