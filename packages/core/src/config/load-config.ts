import { readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml'
import { toValidationIssues } from '../action/validate'
import { ConfigError, formatIssuePath, type ValidationIssue } from '../errors/errors'
import { type DataTypeRegistry, defaultDataTypes } from '../types/data-type'
import { type PluginConfig, PluginConfigSchema } from './plugin-config'

/** A parsed config.yaml: the file it came from, its plugin root, and the validated config. */
export interface LoadedConfig {
  /** Absolute path of the config.yaml read. */
  path: string
  /** Directory of the plugin (where entrypoints resolve from). */
  root: string
  config: PluginConfig
}

/** `dir` → `dir/config.yaml`; a file path stays as is. */
export function resolveConfigPath(pathOrDir: string): string {
  const abs = resolve(pathOrDir)
  let isDir: boolean
  try {
    isDir = statSync(abs).isDirectory()
  } catch (cause) {
    throw new ConfigError(`Plugin not found: ${abs} does not exist`, [], {
      code: 'CONFIG_NOT_FOUND',
      cause,
      details: { path: abs },
    })
  }
  return isDir ? join(abs, 'config.yaml') : abs
}

/**
 * Reads and validates a plugin's config.yaml. Every problem is reported at once, each with its
 * `file:line:col` and key path; YAML syntax errors point at the offending character.
 */
export function loadPluginConfig(
  pathOrDir: string,
  options: { types?: DataTypeRegistry } = {},
): LoadedConfig {
  const path = resolveConfigPath(pathOrDir)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (cause) {
    throw new ConfigError(`Plugin config not found: ${path}`, [], {
      code: 'CONFIG_NOT_FOUND',
      cause,
      details: { path },
    })
  }
  return parsePluginConfig(text, path, options)
}

/** {@link loadPluginConfig} for text already in hand; `path` is used in messages and as the root. */
export function parsePluginConfig(
  text: string,
  path: string,
  options: { types?: DataTypeRegistry } = {},
): LoadedConfig {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })
  const at = (offset: number): string => {
    const { line, col } = lines.linePos(offset)
    return `${path}:${line}:${col}`
  }

  if (doc.errors.length > 0) {
    const issues: ValidationIssue[] = doc.errors.map((e) => ({
      path: [],
      message: e.message.split('\n')[0] ?? e.message,
      code: e.code,
      location: at(e.pos[0]),
    }))
    throw new ConfigError(`Invalid YAML in ${path}`, issues, { details: { path } })
  }

  const raw: unknown = doc.toJS() ?? {}
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`Invalid config in ${path}`, [
      { path: [], message: 'config.yaml must be a mapping of keys', location: at(0) },
    ])
  }
  const parsed = PluginConfigSchema.safeParse(raw)
  const issues: ValidationIssue[] = parsed.success
    ? []
    : toValidationIssues(parsed.error.issues).map((issue) => ({
        ...issue,
        location: at(locate(doc.contents, issue.path)),
      }))

  if (parsed.success) {
    const types = options.types ?? defaultDataTypes
    for (const [name, action] of Object.entries(parsed.data.actions)) {
      for (const key of ['input_type', 'output_type'] as const) {
        const typeName = action[key]
        if (typeName !== undefined && !types.has(typeName)) {
          const where = ['actions', name, key]
          issues.push({
            path: where,
            message: `unknown data type '${typeName}' (known: ${types.names().join(', ')})`,
            code: 'unknown_type',
            location: at(locate(doc.contents, where)),
          })
        }
      }
    }
  }

  if (issues.length > 0 || !parsed.success) {
    const keys = issues.map((i) => formatIssuePath(i.path)).join(', ')
    throw new ConfigError(`Invalid config in ${path} (${keys})`, issues, { details: { path } })
  }
  return { path, root: resolve(path, '..'), config: parsed.data }
}

/**
 * Source offset for a key path: the value when it exists, else the key of the deepest existing
 * parent, so a missing key points at the mapping it belongs in.
 */
function locate(root: unknown, path: readonly (string | number)[]): number {
  let node = root as Node | null | undefined
  let offset = (node as Node | undefined)?.range?.[0] ?? 0
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isScalar(p.key) && String(p.key.value) === String(segment),
      )
      if (pair === undefined) return offset
      offset = (pair.key as Node).range?.[0] ?? offset
      node = pair.value as Node | null
      // A present key whose value is wrong: point at the value when it has a position.
      if (node?.range) offset = node.range[0]
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined
      if (!item?.range) return offset
      node = item
      offset = item.range[0]
    } else {
      return offset
    }
  }
  return offset
}
