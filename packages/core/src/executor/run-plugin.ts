import { existsSync } from 'node:fs'
import type { PluginEnvironment } from '../context/plugin-environment'
import { PluginDiscovery } from '../discovery/plugin-discovery'
import { PluginError } from '../errors/plugin-error'
import type { PluginInstaller } from '../registry/plugin-registry'
import { isPluginSpecifier, parsePluginSpecifier } from '../registry/plugin-specifier'
import type { ExecuteOptions } from './executor-protocol'
import type { ExecutorRegistry } from './executor-registry'

/** What {@link runPlugin} runs, where, and how to watch it. */
export interface RunPluginOptions extends ExecuteOptions {
  /** Path to the plugin directory or its config.yaml, or `code@version` of a published release. */
  plugin: string
  /** Fetches `code@version` plugins (e.g. `@synapse/registry`'s `RegistryInstaller`). */
  installer?: PluginInstaller
  action: string
  params?: unknown
  /** Executor mode; default `local`. */
  mode?: string
  executors: ExecutorRegistry
  env?: PluginEnvironment
  runId?: string
}

/**
 * Resolves a plugin and runs the action on the executor for `mode`, which validates params
 * before anything runs. Returns the result; throws `ValidationError` (nothing ran), `ActionNotFoundError`,
 * `ConfigError`, or the run's own error.
 *
 * @example
 * const executors = new ExecutorRegistry().register('local', new LocalExecutor())
 * const result = await runPlugin({ plugin: './my-plugin', action: 'train', params: { epochs: 3 }, executors })
 */
export async function runPlugin(options: RunPluginOptions): Promise<unknown> {
  const discovery = PluginDiscovery.fromPath(
    await resolvePluginPath(options.plugin, options.installer),
  )
  const action = await discovery.getAction(options.action)
  const executor = options.executors.get(options.mode ?? 'local')
  const {
    plugin: _p,
    installer: _i,
    action: _a,
    params,
    mode: _m,
    executors: _e,
    env,
    runId,
    ...execute
  } = options
  return executor.execute(
    {
      action,
      params,
      source: discovery.sourceOf(options.action),
      ...(env !== undefined && { env }),
      ...(runId !== undefined && { runId }),
    },
    execute,
  )
}

/**
 * A path stays a path; `code@version` becomes the directory the installer unpacked it to. A
 * path that exists wins, so a folder named like a reference still runs from where it is.
 */
export async function resolvePluginPath(
  plugin: string,
  installer: PluginInstaller | undefined,
): Promise<string> {
  if (!isPluginSpecifier(plugin) || existsSync(plugin)) return plugin
  const { code, version } = parsePluginSpecifier(plugin)
  if (installer === undefined) {
    throw new PluginError(
      `Plugin ${plugin} is a registry reference, but no registry was given to fetch it from`,
      { code: 'REGISTRY_REQUIRED', details: { plugin } },
    )
  }
  return installer.install(code, version)
}
