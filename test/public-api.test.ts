import { join, relative, resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '..')

/** Exports of an entry point whose declaration has no TSDoc comment. */
function undocumentedExports(entry: string): string[] {
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.ESNext,
    target: ts.ScriptTarget.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    customConditions: ['@synapse/source'],
    noEmit: true,
  })
  const checker = program.getTypeChecker()
  const source = program.getSourceFile(entry)
  const module = source && checker.getSymbolAtLocation(source)
  if (module === undefined) throw new Error(`cannot read ${entry}`)
  const missing: string[] = []
  for (const symbol of checker.getExportsOfModule(module)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
    const declarations = target.getDeclarations() ?? []
    const documented = declarations.some((d) => {
      const node = ts.isVariableDeclaration(d) ? d.parent.parent : d
      return ts.getJSDocCommentsAndTags(node).length > 0
    })
    if (!documented) {
      const file = declarations[0]?.getSourceFile().fileName
      missing.push(`${symbol.name} (${file === undefined ? '?' : relative(root, file)})`)
    }
  }
  return missing
}

describe('public API', () => {
  it.each([
    'packages/actions/src/index.ts',
    'packages/core/src/index.ts',
    'packages/authoring/src/index.ts',
    'packages/templates/src/index.ts',
    'packages/pipelines/src/index.ts',
    'packages/registry/src/index.ts',
    'packages/registry/src/install.ts',
    'packages/steps/src/index.ts',
    'packages/store-sqlite/src/index.ts',
    'packages/executor-local/src/index.ts',
    'packages/executor-queue/src/index.ts',
    'packages/executor-queue/src/testing/index.ts',
  ])('every export of %s has a TSDoc comment', (entry) => {
    expect(undocumentedExports(join(root, entry))).toEqual([])
  })
})
