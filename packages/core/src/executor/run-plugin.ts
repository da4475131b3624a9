import type { PluginEnvironment } from '../context/plugin-environment'
import { PluginDiscovery } from '../discovery/plugin-discovery'
import type { ExecuteOptions } from './executor-protocol'
import type { ExecutorRegistry } from './executor-registry'

/** What {@link runPlugin} runs, where, and how to watch it. */
export interface RunPluginOptions extends ExecuteOptions {
  /** Path to the plugin directory or its config.yaml. */
  plugin: string
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
  const discovery = PluginDiscovery.fromPath(options.plugin)
  const action = await discovery.getAction(options.action)
  const executor = options.executors.get(options.mode ?? 'local')
  const {
    plugin: _p,
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
