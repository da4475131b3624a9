import { readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { toValidationIssues } from '../action/validate'
import { ConfigError, formatIssuePath, type ValidationIssue } from '../errors/errors'
import { type DataTypeRegistry, defaultDataTypes } from '../types/data-type'
import { type PluginConfig, PluginConfigSchema } from './plugin-config'
import { parseYamlSource } from './yaml-source'

/** A parsed config.yaml: the file it came from, its plugin root, and the validated config. */
export interface LoadedConfig {
  /** Absolute path of the config.yaml read. */
  path: string
  /** Directory of the plugin (where entrypoints resolve from). */
  root: string
  config: PluginConfig
  /**
   * What is allowed but worth saying: an `input_type`/`output_type` name that no registered type
   * has is kept as a free name (compatible only with itself), with a warning here.
   */
  warnings: ValidationIssue[]
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
  const source = parseYamlSource(text, path)
  const raw: unknown = source.value ?? {}
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`Invalid config in ${path}`, [
      { path: [], message: 'config.yaml must be a mapping of keys', location: source.at([]) },
    ])
  }
  const parsed = PluginConfigSchema.safeParse(raw)
  const issues: ValidationIssue[] = parsed.success
    ? []
    : source.locate(toValidationIssues(parsed.error.issues))
  // These rules read the raw document, so they are reported with every schema issue at once,
  // not only once the rest of the file is valid.
  const warnings: ValidationIssue[] = []
  for (const finding of checkTypes(raw as Record<string, unknown>, options.types)) {
    const located = { ...finding.issue, location: source.at(finding.issue.path) }
    ;(finding.severity === 'error' ? issues : warnings).push(located)
  }
  const dataTypeIssue = checkDataKind(raw as Record<string, unknown>)
  if (dataTypeIssue !== undefined) {
    issues.push({ ...dataTypeIssue, location: source.at(dataTypeIssue.path) })
  }

  if (issues.length > 0 || !parsed.success) {
    const keys = issues.map((i) => formatIssuePath(i.path)).join(', ')
    throw new ConfigError(`Invalid config in ${path} (${keys})`, issues, { details: { path } })
  }
  return { path, root: resolve(path, '..'), config: parsed.data, warnings }
}

/** neural_net plugins must say what data they work on. */
function checkDataKind(raw: Record<string, unknown>): ValidationIssue | undefined {
  if (raw['category'] !== 'neural_net' || raw['data_type'] !== undefined) return undefined
  return {
    path: ['data_type'],
    message:
      "data_type is required for neural_net plugins. Add 'data_type: image' (or text, video, pcd, audio) to config.yaml",
    code: 'custom',
  }
}

/**
 * Type names of every action: a near miss of a known name is an error with a suggestion; any
 * other unknown name is kept as a free name (the spec's own examples use `image_file` and
 * `predictions`), with a warning.
 */
function checkTypes(
  raw: Record<string, unknown>,
  types: DataTypeRegistry = defaultDataTypes,
): { severity: 'error' | 'warning'; issue: ValidationIssue }[] {
  const actions = raw['actions']
  if (typeof actions !== 'object' || actions === null || Array.isArray(actions)) return []
  const found: { severity: 'error' | 'warning'; issue: ValidationIssue }[] = []
  for (const [name, action] of Object.entries(actions)) {
    if (typeof action !== 'object' || action === null) continue
    for (const key of ['input_type', 'output_type'] as const) {
      const typeName = (action as Record<string, unknown>)[key]
      if (typeof typeName !== 'string' || types.has(typeName)) continue
      const path = ['actions', name, key]
      const suggestion = nearest(typeName, types.names())
      found.push(
        suggestion === undefined
          ? {
              severity: 'warning',
              issue: {
                path,
                message: `'${typeName}' is not a registered data type: it is kept as a name of its own, compatible only with itself (registered: ${types.names().join(', ')})`,
                code: 'unregistered_type',
              },
            }
          : {
              severity: 'error',
              issue: {
                path,
                message: `unknown data type '${typeName}': did you mean '${suggestion}'?`,
                code: 'unknown_type',
              },
            },
      )
    }
  }
  return found
}

/** The known name a typo most likely meant: within 2 edits, and fewer than a quarter of it. */
function nearest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of known) {
    const d = editDistance(name, candidate)
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return bestDistance <= 2 && bestDistance * 4 < name.length ? best : undefined
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution)
    }
    previous = current
  }
  return previous[b.length]!
}
