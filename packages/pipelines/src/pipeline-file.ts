import { readFileSync } from 'node:fs'
import { basename, extname, resolve } from 'node:path'
import {
  type AnyActionDefinition,
  ConfigError,
  type DataTypeRegistry,
  formatIssuePath,
  type JsonValue,
  PluginDiscovery,
  PluginError,
  parseYamlSource,
  type TypeAdapterRegistry,
  toValidationIssues,
  type ValidationIssue,
} from '@synapse/core'
import { z } from 'zod'
import { ActionPipeline } from './action-pipeline'
import {
  composeMappings,
  PARAM_MAPPING_NAMES,
  type ParamMapping,
  ParamMappingSchema,
} from './param-mappings'
import type { PipelineDiagnostic } from './pipeline-diagnostic'
import type { PipelineStepSpec } from './pipeline-step'

const StepSchema = z.strictObject({
  plugin: z.string().min(1),
  action: z.string().min(1),
  name: z.string().min(1).optional(),
  weight: z.number().nonnegative().finite().optional(),
  map: z.array(ParamMappingSchema).optional(),
})

/** The pipeline file's shape (YAML, snake_case keys as in config.yaml). */
export const PipelineFileSchema = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  strict: z.boolean().default(false),
  insert_converters: z.boolean().default(false),
  params: z.record(z.string(), z.unknown()).default({}),
  actions: z.array(StepSchema).min(1),
})

/**
 * A pipeline file, checked and with its plugin paths made absolute. It is plain JSON, so it is
 * kept with the run it starts and a resume in another process rebuilds the same pipeline.
 */
export interface PipelineDefinition {
  /** The file it was read from (absolute). */
  file: string
  name: string
  description?: string
  strict: boolean
  insertConverters: boolean
  /** The initial params; the command line's params are laid over them. */
  params: Record<string, JsonValue>
  actions: PipelineDefinitionStep[]
}

/** One action of a {@link PipelineDefinition}. */
export interface PipelineDefinitionStep {
  /** The plugin's folder (absolute). */
  plugin: string
  action: string
  name?: string
  weight?: number
  /** The edge's named mappings, applied in order (see `composeMappings`). */
  map?: ParamMapping[]
}

/** A pipeline file read and checked, with where each of its keys is. */
export interface LoadedPipelineFile {
  definition: PipelineDefinition
  /** `file:line:col` of a key path of the file. */
  at(path: readonly (string | number)[]): string
}

/** Reads and checks a pipeline file. Every problem is reported at once, at `file:line:col`. */
export function loadPipelineFile(path: string): LoadedPipelineFile {
  const file = resolve(path)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (cause) {
    throw new ConfigError(`Pipeline file not found: ${file}`, [], {
      code: 'PIPELINE_FILE_NOT_FOUND',
      cause,
      details: { path: file },
    })
  }
  return parsePipelineFile(text, file)
}

/** {@link loadPipelineFile} for text in hand; plugin paths resolve from `path`'s folder. */
export function parsePipelineFile(text: string, path: string): LoadedPipelineFile {
  const file = resolve(path)
  const source = parseYamlSource(text, file, { code: 'PIPELINE_FILE_INVALID' })
  const raw = source.value
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalidFile(file, [
      {
        path: [],
        message: 'a pipeline file is a mapping with at least `actions`',
        location: source.at([]),
      },
    ])
  }
  const parsed = PipelineFileSchema.safeParse(raw)
  if (!parsed.success) {
    const issues = toValidationIssues(parsed.error.issues).map((issue) =>
      isMappingPath(issue.path) && issue.code === 'invalid_union'
        ? {
            ...issue,
            message: `a mapping is one of ${PARAM_MAPPING_NAMES.join(', ')} with its value (e.g. { rename: { path: dataset } })`,
          }
        : issue,
    )
    throw invalidFile(file, source.locate(issues))
  }
  const data = parsed.data
  const dir = resolve(file, '..')
  const definition: PipelineDefinition = {
    file,
    name: data.name ?? basename(file, extname(file)),
    ...(data.description !== undefined && { description: data.description }),
    strict: data.strict,
    insertConverters: data.insert_converters,
    params: data.params as Record<string, JsonValue>,
    actions: data.actions.map((step) => ({
      plugin: resolve(dir, step.plugin),
      action: step.action,
      ...(step.name !== undefined && { name: step.name }),
      ...(step.weight !== undefined && { weight: step.weight }),
      ...(step.map !== undefined && { map: step.map }),
    })),
  }
  return { definition, at: source.at }
}

/** What {@link buildPipeline} needs besides the definition. */
export interface BuildPipelineOptions {
  /** Where the definition's keys are, for errors (from {@link LoadedPipelineFile.at}). */
  at?: (path: readonly (string | number)[]) => string
  /** The params the run will start with; default the definition's. Strict mode counts them. */
  params?: Record<string, unknown>
  types?: DataTypeRegistry
  adapters?: TypeAdapterRegistry
  onDiagnostic?: (diagnostic: PipelineDiagnostic) => void
}

/**
 * The pipeline a definition describes: each plugin read, each action loaded, the edges' mappings
 * composed, and the definition kept as the run's source. A plugin folder without a config.yaml
 * or an action its plugin lacks is a `PIPELINE_FILE_INVALID` error at the key that names it (all
 * of them at once); the plugin's own config errors come as they are, at their own positions.
 */
export async function buildPipeline(
  definition: PipelineDefinition,
  options: BuildPipelineOptions = {},
): Promise<ActionPipeline> {
  const at = options.at ?? (() => definition.file)
  const issues: ValidationIssue[] = []
  const plugins = new Map<string, PluginDiscovery>()
  const found: { step: PipelineDefinitionStep; plugin: PluginDiscovery }[] = []
  definition.actions.forEach((step, index) => {
    let plugin = plugins.get(step.plugin)
    if (plugin === undefined) {
      try {
        plugin = PluginDiscovery.fromPath(step.plugin, {
          ...(options.types !== undefined && { types: options.types }),
        })
      } catch (error) {
        if (!PluginError.is(error) || error.code !== 'CONFIG_NOT_FOUND') throw error
        const path = ['actions', index, 'plugin']
        issues.push({
          path,
          message: `no plugin at ${step.plugin} (it has no config.yaml)`,
          code: 'plugin_not_found',
          location: at(path),
        })
        return
      }
      plugins.set(step.plugin, plugin)
    }
    if (!plugin.hasAction(step.action)) {
      const path = ['actions', index, 'action']
      issues.push({
        path,
        message: `plugin ${step.plugin} has no action '${step.action}' (it has: ${plugin.listActions().join(', ') || 'none'})`,
        code: 'action_not_found',
        location: at(path),
      })
      return
    }
    found.push({ step, plugin })
  })
  if (issues.length > 0) throw invalidFile(definition.file, issues)
  const steps: PipelineStepSpec[] = []
  for (const { step, plugin } of found) {
    const action: AnyActionDefinition = await plugin.getAction(step.action)
    steps.push({
      action,
      ...(step.name !== undefined && { name: step.name }),
      ...(step.weight !== undefined && { weight: step.weight }),
      ...(step.map !== undefined && { mapParams: composeMappings(step.map) }),
    })
  }
  const params = options.params ?? definition.params
  return new ActionPipeline(steps, {
    name: definition.name,
    strict: definition.strict,
    insertConverters: definition.insertConverters,
    initialParams: Object.keys(params),
    source: definition as unknown as Record<string, JsonValue>,
    ...(options.types !== undefined && { types: options.types }),
    ...(options.adapters !== undefined && { adapters: options.adapters }),
    ...(options.onDiagnostic !== undefined && { onDiagnostic: options.onDiagnostic }),
  })
}

/** The definition a pipeline run was started from, as its plan event keeps it. */
export function definitionOf(source: unknown, runId: string): PipelineDefinition {
  const definition = source as Partial<PipelineDefinition> | undefined
  if (
    typeof definition !== 'object' ||
    definition === null ||
    typeof definition.file !== 'string' ||
    !Array.isArray(definition.actions)
  ) {
    throw new PluginError(
      `Pipeline run '${runId}' was not started from a pipeline file: it keeps no definition to rebuild it from`,
      { code: 'PIPELINE_NO_DEFINITION', details: { runId } },
    )
  }
  return definition as PipelineDefinition
}

function isMappingPath(path: readonly (string | number)[]): boolean {
  return path.length === 4 && path[0] === 'actions' && path[2] === 'map'
}

function invalidFile(file: string, issues: ValidationIssue[]): ConfigError {
  const keys = issues.map((i) => formatIssuePath(i.path)).join(', ')
  return new ConfigError(`Invalid pipeline file ${file} (${keys})`, issues, {
    code: 'PIPELINE_FILE_INVALID',
    details: { path: file },
  })
}
