import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import {
  type ActionConfig,
  defaultMethodFor,
  loadPluginConfig,
  type PluginConfig,
  parseEntrypoint,
  parsePluginConfig,
  toUiSchema,
  type UiSchemaNode,
} from '@synapse/core'
import { type Document, isMap, isScalar, parseDocument } from 'yaml'
import type { z } from 'zod'
import { discoverActions, type ResolvedAction } from './discover-actions'
import type { SourceProblem } from './static-discovery'

/** One difference between config.yaml and the code, as the sync would write it. */
export interface ConfigChange {
  /** The config.yaml key of the action. */
  action: string
  /** The key under the action that changes; undefined when the whole action is new. */
  field?: string
  /** The value config.yaml holds now (undefined when it holds none). */
  from?: unknown
  to: unknown
}

/** What a sync found, and whether it rewrote the file. */
export interface ConfigSyncResult {
  /** The config.yaml compared. */
  path: string
  changes: ConfigChange[]
  problems: SourceProblem[]
  /** True when the file was rewritten (never with `check`, never without changes). */
  written: boolean
}

/**
 * The params a train, tune or upload form never shows: they come from the platform, not from a
 * person filling the form. The spec's list, with the camelCase names TypeScript actions use
 * (`@synapse/actions` calls `is_tune` `isTune`) and `path`, a dataset folder given instead of
 * an id.
 */
export const PLATFORM_PARAMS: readonly string[] = [
  ...['data_path', 'dataset_path', 'dataset', 'splits', 'checkpoint', 'model_path'],
  ...['weights_path', 'output_path', 'work_dir', 'is_tune', 'hyperparameters', 'path'],
  ...['dataPath', 'datasetPath', 'modelPath', 'weightsPath', 'outputPath', 'workDir', 'isTune'],
]

/**
 * Brings config.yaml in line with the plugin's code: actions the code has and the file lacks are
 * added (with the default method for their name); for every action, the entrypoint, the method
 * the code declares, the input and output types the code declares, and for train, tune and
 * upload the form of their params (`hyperparameters.train_ui_schemas`, `ui_schema`). The
 * file's comments, key order and everything else are kept. An action is matched to its entry by
 * entrypoint first, so renaming an entry in the file is not undone. With `check`, nothing is
 * written: the changes say whether the file has drifted.
 *
 * @example
 * const { changes } = await syncPluginConfig('./my-plugin', { check: true })
 * if (changes.length > 0) process.exitCode = 1
 */
export async function syncPluginConfig(
  pathOrDir: string,
  options: { check?: boolean } = {},
): Promise<ConfigSyncResult> {
  // A config.yaml that is broken now is reported as such (file:line:col), not rewritten.
  const loaded = loadPluginConfig(pathOrDir)
  const { actions, problems } = await discoverActions(loaded.root)
  const changes = planChanges(loaded.config, actions)
  const result = { path: loaded.path, changes, problems, written: false }
  if (options.check === true || changes.length === 0) return result

  const text = readFileSync(loaded.path, 'utf8')
  const doc = parseDocument(text)
  applyChanges(doc, changes)
  // No folding: a long line the sync did not touch stays one line.
  const updated = doc.toString({ lineWidth: 0 })
  // What is written must load: a sync never leaves a config.yaml the CLI refuses.
  parsePluginConfig(updated, loaded.path)
  const temp = `${loaded.path}.${process.pid}.tmp`
  try {
    writeFileSync(temp, updated)
    renameSync(temp, loaded.path)
  } catch (error) {
    rmSync(temp, { force: true })
    throw error
  }
  return { ...result, written: true }
}

/** One line per change, for a person: `new action 'train' (src/train:TrainAction)`. */
export function describeChange(change: ConfigChange): string {
  if (change.field === undefined) {
    const entrypoint = (change.to as { entrypoint?: string }).entrypoint
    return `new action '${change.action}' (${entrypoint})`
  }
  const show = (value: unknown) =>
    value === undefined ? '(none)' : typeof value === 'string' ? value : summarize(value)
  return `${change.action}.${change.field}: ${show(change.from)} → ${show(change.to)}`
}

function summarize(value: unknown): string {
  if (Array.isArray(value)) return `[${value.length} item${value.length === 1 ? '' : 's'}]`
  const json = JSON.stringify(value)
  return json.length > 60 ? `${json.slice(0, 57)}...` : json
}

function planChanges(config: PluginConfig, actions: ResolvedAction[]): ConfigChange[] {
  const changes: ConfigChange[] = []
  const byEntrypoint = new Map<string, string>()
  for (const [key, entry] of Object.entries(config.actions)) {
    if (entry.entrypoint !== undefined) byEntrypoint.set(canonical(entry.entrypoint), key)
  }
  for (const action of actions) {
    const key = byEntrypoint.get(canonical(action.entrypoint)) ?? action.name
    const entry: ActionConfig | undefined = Object.hasOwn(config.actions, key)
      ? config.actions[key]
      : undefined
    const wanted = desiredFields(key, action, entry)
    if (entry === undefined) {
      changes.push({ action: key, to: wanted })
      continue
    }
    for (const [field, value] of Object.entries(wanted)) {
      const current = entry[field as keyof ActionConfig]
      const same =
        field === 'entrypoint'
          ? current !== undefined && canonical(current as string) === canonical(value as string)
          : stableJson(current) === stableJson(value)
      if (!same) changes.push({ action: key, field, from: current, to: value })
    }
  }
  return changes
}

/** What the code says each synced field of one action should be. */
function desiredFields(
  key: string,
  action: ResolvedAction,
  entry: ActionConfig | undefined,
): Record<string, unknown> {
  const fields: Record<string, unknown> = { entrypoint: action.entrypoint }
  // An entry without a method runs with its name's default; a new entry states it, and code
  // that declares a method wins.
  if (action.method !== undefined) fields['method'] = action.method
  else if (entry === undefined) fields['method'] = defaultMethodFor(key)
  if (action.inputType !== undefined) fields['input_type'] = action.inputType
  if (action.outputType !== undefined) fields['output_type'] = action.outputType
  if (action.params !== undefined) {
    if (key === 'train' || key === 'tune') {
      fields['hyperparameters'] = {
        ...(entry?.hyperparameters ?? {}),
        train_ui_schemas: hyperparameterForm(action.params, true),
      }
    } else if (key === 'upload') {
      fields['ui_schema'] = hyperparameterForm(action.params, false)
    }
  }
  return fields
}

/** The params form without the platform's params; train and tune forms require every field. */
function hyperparameterForm(params: z.ZodType, allRequired: boolean): UiSchemaNode[] {
  return toUiSchema(params)
    .filter((node) => !PLATFORM_PARAMS.includes(node.name))
    .map((node) => (allRequired && !node.required ? required(node) : node))
}

function required(node: UiSchemaNode): UiSchemaNode {
  return {
    ...node,
    required: true,
    validation: ['required', node.validation].filter(Boolean).join('|'),
  }
}

function applyChanges(doc: Document, changes: ConfigChange[]): void {
  if (!isMap(doc.get('actions'))) doc.set('actions', doc.createNode({}))
  for (const change of changes) {
    if (change.field === undefined) {
      doc.setIn(['actions', change.action], doc.createNode(change.to))
      continue
    }
    const entry = doc.getIn(['actions', change.action], true)
    // The legacy `train: src/train:TrainAction` form grows into a map to hold more keys.
    if (isScalar(entry) || entry === null || entry === undefined) {
      const value = isScalar(entry) ? entry.value : undefined
      doc.setIn(
        ['actions', change.action],
        doc.createNode(typeof value === 'string' ? { entrypoint: value } : {}),
      )
    }
    doc.setIn(['actions', change.action, change.field], doc.createNode(change.to))
  }
}

/** `src.train.TrainAction`, `./src/train.ts:TrainAction` and `src/train:TrainAction` are one. */
function canonical(entrypoint: string): string {
  const { module, exportName } = parseEntrypoint(entrypoint)
  return `${module.replace(/^\.\//, '').replace(/\.[mc]?[jt]s$/, '')}:${exportName}`
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  )
}
