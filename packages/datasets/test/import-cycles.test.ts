import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { expect, test } from 'vitest'

const SRC = resolve(import.meta.dirname, '..', 'src')

/** Relative imports of every source file (type-only imports included: they tie modules too). */
function importGraph(): Map<string, string[]> {
  const files = (readdirSync(SRC, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(SRC, f))
  const known = new Set(files)
  const graph = new Map<string, string[]>()
  for (const file of files) {
    const deps: string[] = []
    for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.[^']*)'/g)) {
      const base = resolve(dirname(file), m[1]!)
      const target = [`${base}.ts`, join(base, 'index.ts')].find((t) => known.has(t))
      if (target !== undefined) deps.push(target)
    }
    graph.set(file, deps)
  }
  return graph
}

/** One cycle per strongly tied group, as a list of files relative to src/. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = []
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (file: string): void => {
    state.set(file, 'open')
    stack.push(file)
    for (const dep of graph.get(file) ?? []) {
      if (state.get(dep) === 'open') {
        found.push(stack.slice(stack.indexOf(dep)).map((f) => relative(SRC, f)))
      } else if (!state.has(dep)) visit(dep)
    }
    stack.pop()
    state.set(file, 'done')
  }
  for (const file of graph.keys()) if (!state.has(file)) visit(file)
  return found
}

test('the package source has no import cycles', () => {
  const graph = importGraph()
  // The walk must see the files it is about, or an empty graph would pass.
  expect(graph.get(join(SRC, 'formats/coco/streamed-reader.ts'))).toContain(
    join(SRC, 'formats/coco/items.ts'),
  )
  expect(cycles(graph)).toEqual([])
})

test('the cycle finder finds a cycle', () => {
  const graph = new Map([
    ['/s/a.ts', ['/s/b.ts']],
    ['/s/b.ts', ['/s/a.ts']],
  ])
  expect(cycles(graph)).toHaveLength(1)
})
