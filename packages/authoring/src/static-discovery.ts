import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { actionNameOf } from '@synapse/core'
import ts from 'typescript'

/** An action found in a plugin's sources, and what the source states about it literally. */
export interface DiscoveredAction {
  /** The config.yaml key: the name the code gives, else one derived from the export. */
  name: string
  /** `module/path:Export`, relative to the plugin root, as config.yaml writes it. */
  entrypoint: string
  kind: 'class' | 'function'
  exportName: string
  /** Absolute path of the file that declares it. */
  file: string
  /** 1-based position of the declaration. */
  line: number
  column: number
  /** Each field is set only where the source writes a string literal for it. */
  method?: string
  inputType?: string
  outputType?: string
  description?: string
}

/** Something in the sources that kept an action from being discovered, with where it is. */
export interface SourceProblem {
  file: string
  line: number
  column: number
  message: string
}

/** What reading the sources found. */
export interface StaticDiscovery {
  actions: DiscoveredAction[]
  problems: SourceProblem[]
}

const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/
const SKIPPED_DIRS = new Set([
  'node_modules',
  'dist',
  'build',
  'coverage',
  'test',
  'tests',
  '__tests__',
])
/** Tests, declarations and tool configs hold no actions, and importing them has effects. */
const SKIPPED_FILE = /(\.d\.[mc]?ts|\.(test|spec)\.[mc]?[jt]s|\.config\.[mc]?[jt]s)$/
/** Literal fields of an action's metadata, under the names `defineAction` / `BaseAction.with` take. */
const META_FIELDS = ['name', 'method', 'inputType', 'outputType', 'description'] as const
/** The same fields as static members of a class (`static override method = 'job'`). */
const STATIC_FIELDS: Record<string, (typeof META_FIELDS)[number]> = {
  actionName: 'name',
  method: 'method',
  inputType: 'inputType',
  outputType: 'outputType',
  description: 'description',
}

/**
 * Finds the actions of a plugin by reading its TypeScript and JavaScript sources with the
 * TypeScript parser, without importing anything: a plugin whose imports are broken, or not yet
 * installed, can still be listed and synced. An action is an exported `defineAction(…)` result,
 * or an exported, non-abstract class whose base names an `Action` or a `Base` class (the spec's
 * rule). Tests, declaration files, tool configs and `node_modules`, `dist`, `test` folders are
 * skipped.
 *
 * @example
 * const { actions } = discoverActionsStatically('./my-plugin')
 * actions.map((a) => `${a.name} → ${a.entrypoint}`)   // ['train → src/train:TrainAction']
 */
export function discoverActionsStatically(root: string): StaticDiscovery {
  const actions: DiscoveredAction[] = []
  const problems: SourceProblem[] = []
  for (const file of sourceFiles(root)) {
    const found = readSource(root, file)
    actions.push(...found.actions)
    problems.push(...found.problems)
  }
  // Two exports with one name would fight over one config key: the first in path order keeps
  // it, the others are reported where they are.
  const byName = new Map<string, DiscoveredAction>()
  const kept: DiscoveredAction[] = []
  for (const action of actions) {
    const first = byName.get(action.name)
    if (first === undefined) {
      byName.set(action.name, action)
      kept.push(action)
    } else {
      problems.push({
        file: action.file,
        line: action.line,
        column: action.column,
        message: `action '${action.name}' (${action.entrypoint}) has the name of ${first.entrypoint}; give one of them its own name`,
      })
    }
  }
  return { actions: kept, problems }
}

function sourceFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue
    const path = join(dir, name)
    const stat = statSync(path)
    if (stat.isDirectory()) {
      if (!SKIPPED_DIRS.has(name)) out.push(...sourceFiles(path))
    } else if (SOURCE.test(name) && !SKIPPED_FILE.test(name)) out.push(path)
  }
  return out
}

function readSource(root: string, file: string): StaticDiscovery {
  const text = readFileSync(file, 'utf8')
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file))
  const problems = syntaxProblems(source)
  const module = relative(root, file).replace(SOURCE, '').split(sep).join('/')
  // Declarations by local name, and the names they are exported under.
  const local = new Map<string, ts.ClassDeclaration | ts.VariableDeclaration>()
  const exported: [string, string][] = []
  for (const statement of source.statements) {
    const isExported = hasModifier(statement, ts.SyntaxKind.ExportKeyword)
    const isDefault = hasModifier(statement, ts.SyntaxKind.DefaultKeyword)
    if (ts.isClassDeclaration(statement) && statement.name !== undefined) {
      local.set(statement.name.text, statement)
      if (isExported && !isDefault) exported.push([statement.name.text, statement.name.text])
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name)) continue
        local.set(declaration.name.text, declaration)
        if (isExported) exported.push([declaration.name.text, declaration.name.text])
      }
    } else if (
      ts.isExportDeclaration(statement) &&
      statement.moduleSpecifier === undefined &&
      statement.exportClause !== undefined &&
      ts.isNamedExports(statement.exportClause) &&
      !statement.isTypeOnly
    ) {
      for (const specifier of statement.exportClause.elements) {
        if (specifier.isTypeOnly) continue
        exported.push([
          (specifier.propertyName ?? specifier.name).getText(source),
          specifier.name.text,
        ])
      }
    }
  }
  const actions: DiscoveredAction[] = []
  for (const [localName, exportName] of exported) {
    const node = local.get(localName)
    if (node === undefined || exportName === 'default') continue
    const found = ts.isClassDeclaration(node) ? classAction(node) : functionAction(node)
    if (found === undefined) continue
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source))
    actions.push({
      ...found.meta,
      name: found.meta.name ?? actionNameOf(exportName),
      entrypoint: `${module}:${exportName}`,
      kind: found.kind,
      exportName,
      file,
      line: line + 1,
      column: character + 1,
    })
  }
  return { actions, problems }
}

type Meta = Partial<Record<(typeof META_FIELDS)[number], string>>

function classAction(node: ts.ClassDeclaration): { kind: 'class'; meta: Meta } | undefined {
  if (hasModifier(node, ts.SyntaxKind.AbstractKeyword)) return undefined
  const base = node.heritageClauses?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]
  if (base === undefined) return undefined
  const baseName = baseNameOf(base.expression)
  if (baseName === undefined || !/Action|Base/.test(baseName)) return undefined
  // `BaseAction.with({ name: 'train', … })` states the metadata in the base expression.
  const meta: Meta = ts.isCallExpression(base.expression)
    ? literalMeta(base.expression.arguments[0])
    : {}
  for (const member of node.members) {
    if (!ts.isPropertyDeclaration(member) || !hasModifier(member, ts.SyntaxKind.StaticKeyword))
      continue
    const field = ts.isIdentifier(member.name) ? STATIC_FIELDS[member.name.text] : undefined
    const value = member.initializer === undefined ? undefined : literalString(member.initializer)
    if (field !== undefined && value !== undefined) meta[field] = value
  }
  return { kind: 'class', meta }
}

function functionAction(
  node: ts.VariableDeclaration,
): { kind: 'function'; meta: Meta } | undefined {
  let init = node.initializer
  while (
    init !== undefined &&
    (ts.isAsExpression(init) ||
      ts.isSatisfiesExpression(init) ||
      ts.isParenthesizedExpression(init))
  ) {
    init = init.expression
  }
  if (init === undefined || !ts.isCallExpression(init)) return undefined
  const callee = init.expression
  const name = ts.isIdentifier(callee)
    ? callee.text
    : ts.isPropertyAccessExpression(callee)
      ? callee.name.text
      : undefined
  if (name !== 'defineAction') return undefined
  return { kind: 'function', meta: literalMeta(init.arguments[0]) }
}

/** `BaseAction`, `BaseTrainAction`, `actions.BaseExportAction`, `BaseAction.with(…)` → the class name. */
function baseNameOf(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text
  if (ts.isPropertyAccessExpression(expression)) {
    // `BaseAction.with(…)`: the class is the object, `with` only configures it.
    return ts.isIdentifier(expression.expression) && expression.name.text === 'with'
      ? expression.expression.text
      : expression.name.text
  }
  if (ts.isCallExpression(expression)) return baseNameOf(expression.expression)
  if (ts.isExpressionWithTypeArguments(expression)) return baseNameOf(expression.expression)
  return undefined
}

function literalMeta(argument: ts.Expression | undefined): Meta {
  const meta: Meta = {}
  if (argument === undefined || !ts.isObjectLiteralExpression(argument)) return meta
  for (const property of argument.properties) {
    if (!ts.isPropertyAssignment(property)) continue
    const key =
      ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)
        ? property.name.text
        : undefined
    const field = META_FIELDS.find((f) => f === key)
    const value = literalString(property.initializer)
    if (field !== undefined && value !== undefined) meta[field] = value
  }
  return meta
}

function literalString(node: ts.Expression): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text
  if (ts.isAsExpression(node) || ts.isSatisfiesExpression(node))
    return literalString(node.expression)
  return undefined
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false)
}

function scriptKindOf(file: string): ts.ScriptKind {
  return /\.[mc]?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS
}

function syntaxProblems(source: ts.SourceFile): SourceProblem[] {
  // The parser keeps going past a syntax error; its diagnostics say where the file is broken.
  const diagnostics =
    (source as ts.SourceFile & { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? []
  return diagnostics.map((d) => {
    const { line, character } = source.getLineAndCharacterOfPosition(d.start ?? 0)
    return {
      file: source.fileName,
      line: line + 1,
      column: character + 1,
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }
  })
}
