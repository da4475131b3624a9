import type { z } from 'zod'
import {
  type AnyActionDefinition,
  isActionDefinition,
  withDefaults,
} from '../action/action-definition'
import { actionFromClass, isActionClass } from '../action/base-action'
import { toValidationIssues } from '../action/validate'
import { type LoadedConfig, loadPluginConfig } from '../config/load-config'
import { type ActionConfig, type PluginConfig, PluginConfigSchema } from '../config/plugin-config'
import { defaultMethodFor, type PluginCategory } from '../enums'
import {
  ActionNotFoundError,
  ConfigError,
  PluginLoadError,
  type ValidationIssue,
} from '../errors/errors'
import { type DataTypeRegistry, defaultDataTypes } from '../types/data-type'
import { actionNameOf } from './action-name'
import { importPluginModule, parseEntrypoint, resolveModuleFile } from './load-module'

/** Where an action came from, so an executor in another process can load it again. */
export interface ActionSource {
  pluginPath: string
  action: string
  /**
   * The registry release the plugin was installed from, when it was: a process on another
   * machine fetches the same release instead of looking for `pluginPath`.
   */
  release?: { code: string; version: string }
}

/**
 * A plugin read from its config.yaml: the actions it declares, loaded on demand, with name,
 * category and method filled in from the config where the code leaves them out.
 *
 * @example
 * const plugin = PluginDiscovery.fromPath('./my-plugin')
 * plugin.listActions()                 // ['train', 'infer']
 * const train = await plugin.getAction('train')
 */
export class PluginDiscovery {
  readonly path: string
  readonly root: string
  readonly config: PluginConfig
  /** What config.yaml allows but is worth saying (type names no registered type has). */
  readonly warnings: readonly ValidationIssue[]
  readonly #actions = new Map<string, Promise<AnyActionDefinition>>()
  /** The module a plugin made by `fromModule` holds its actions in: nothing is imported. */
  readonly #module: Record<string, unknown> | undefined

  private constructor(loaded: LoadedConfig, module?: Record<string, unknown>) {
    this.path = loaded.path
    this.root = loaded.root
    this.config = loaded.config
    this.warnings = loaded.warnings
    this.#module = module
  }

  /** Reads `dir/config.yaml` (or the config file given). Throws `ConfigError` with `file:line:col`. */
  static fromPath(pathOrDir: string, options: { types?: DataTypeRegistry } = {}): PluginDiscovery {
    const types = options.types ?? defaultDataTypes
    return new PluginDiscovery(loadPluginConfig(pathOrDir, { types }))
  }

  /**
   * A plugin from a module's exports, with no config.yaml: each exported `defineAction` result
   * or `BaseAction` subclass is an action, under the name its code gives, else
   * `actionNameOf(exportName)` (`TrainAction` → `train`). `modulePath`, relative to `root`, is
   * the module's file, so another process can load the actions again (`sourceOf`).
   *
   * @example
   * import * as actions from './actions'
   * const plugin = PluginDiscovery.fromModule(actions, { code: 'my-plugin', modulePath: 'src/actions' })
   */
  static fromModule(
    module: Record<string, unknown>,
    options: {
      code: string
      name?: string
      category?: PluginCategory
      root?: string
      modulePath?: string
    },
  ): PluginDiscovery {
    const modulePath = options.modulePath ?? 'module'
    const actions: Record<string, ActionConfig> = {}
    const issues: ValidationIssue[] = []
    for (const [exportName, value] of Object.entries(module)) {
      if (!isActionDefinition(value) && !isActionClass(value)) continue
      const definition = isActionDefinition(value) ? value : actionFromClass(value)
      const name = definition.name || actionNameOf(exportName)
      if (Object.hasOwn(actions, name)) {
        issues.push({
          path: ['actions', name],
          message: `exports '${parseEntrypoint(actions[name]!.entrypoint!).exportName}' and '${exportName}' are both named '${name}'`,
        })
        continue
      }
      actions[name] = {
        entrypoint: `${modulePath}:${exportName}`,
        method: definition.method ?? defaultMethodFor(name),
      }
    }
    const parsed = PluginConfigSchema.safeParse({
      name: options.name ?? options.code,
      code: options.code,
      category: options.category,
      actions,
    })
    if (!parsed.success) issues.push(...toValidationIssues(parsed.error.issues))
    if (issues.length > 0 || !parsed.success) {
      throw new ConfigError(`Module of plugin '${options.code}' is not a valid plugin`, issues)
    }
    const root = options.root ?? process.cwd()
    return new PluginDiscovery(
      { path: `${root}/${modulePath}`, root, config: parsed.data, warnings: [] },
      module,
    )
  }

  /** Action names, in config order. */
  listActions(): string[] {
    return Object.keys(this.config.actions)
  }

  hasAction(name: string): boolean {
    return Object.hasOwn(this.config.actions, name)
  }

  /** The action's config with its name and method filled in. */
  getActionConfig(
    name: string,
  ): ActionConfig & { name: string; method: NonNullable<ActionConfig['method']> } {
    const config = this.hasAction(name) ? this.config.actions[name] : undefined
    if (config === undefined) throw new ActionNotFoundError(name, this.listActions())
    return { ...config, name: config.name ?? name, method: config.method ?? defaultMethodFor(name) }
  }

  /** The entrypoint in its canonical `module/path:Export` form, without importing anything. */
  getEntrypoint(name: string): string {
    const { entrypoint } = this.getActionConfig(name)
    if (entrypoint === undefined) {
      throw new PluginLoadError(`Action '${name}' has no entrypoint defined in ${this.path}`, {
        code: 'MISSING_ENTRYPOINT',
        details: { action: name, config: this.path },
      })
    }
    const { module, exportName } = parseEntrypoint(entrypoint)
    return `${module}:${exportName}`
  }

  /** Loads the action (once) and returns its definition. */
  getAction(name: string): Promise<AnyActionDefinition> {
    let pending = this.#actions.get(name)
    if (pending === undefined) {
      pending = this.#load(name)
      // A failed load is not cached: the file may be fixed and tried again.
      pending.catch(() => this.#actions.delete(name))
      this.#actions.set(name, pending)
    }
    return pending
  }

  /** How another process finds this action again. */
  sourceOf(name: string): ActionSource {
    this.getActionConfig(name)
    return { pluginPath: this.root, action: name }
  }

  async #load(name: string): Promise<AnyActionDefinition> {
    const config = this.getActionConfig(name)
    const exported = await this.#importExport(this.getEntrypoint(name), name)
    let definition: AnyActionDefinition
    if (isActionDefinition(exported)) definition = exported
    else if (isActionClass(exported)) definition = actionFromClass(exported)
    else {
      throw new PluginLoadError(
        `Entrypoint '${config.entrypoint}' of action '${name}' is neither a defineAction() result nor a BaseAction subclass`,
        { code: 'INVALID_ENTRYPOINT', details: { action: name, entrypoint: config.entrypoint } },
      )
    }
    const overrides: Partial<Record<'params' | 'result', z.ZodType>> = {}
    if (config.params_schema !== undefined) {
      overrides.params = await this.#importSchema(config.params_schema, name)
    }
    if (config.result_schema !== undefined) {
      overrides.result = await this.#importSchema(config.result_schema, name)
    }
    // The config key is the name the action is invoked by, whatever the code calls it.
    return Object.freeze({
      ...withDefaults(definition, {
        category: this.config.category,
        method: config.method,
        ...(config.description !== undefined && { description: config.description }),
      }),
      name,
      inputType: definition.inputType ?? config.input_type,
      outputType: definition.outputType ?? config.output_type,
      ...overrides,
    })
  }

  async #importExport(entrypoint: string, action: string): Promise<unknown> {
    const { module, exportName } = parseEntrypoint(entrypoint)
    const file = this.#module === undefined ? resolveModuleFile(this.root, module) : module
    const mod = this.#module ?? (await importPluginModule(file))
    if (!(exportName in mod)) {
      throw new PluginLoadError(
        `Module ${file} has no export '${exportName}' (action '${action}'). Exports: ${Object.keys(mod).join(', ') || '(none)'}`,
        { code: 'EXPORT_NOT_FOUND', details: { file, export: exportName, action } },
      )
    }
    return mod[exportName]
  }

  async #importSchema(entrypoint: string, action: string): Promise<z.ZodType> {
    const schema = await this.#importExport(entrypoint, action)
    if (typeof (schema as z.ZodType | undefined)?.safeParse !== 'function') {
      throw new PluginLoadError(`'${entrypoint}' is not a zod schema (action '${action}')`, {
        code: 'INVALID_SCHEMA',
        details: { entrypoint, action },
      })
    }
    return schema as z.ZodType
  }
}
