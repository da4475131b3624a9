import { dirname, resolve } from 'node:path'
import { Args, Flags, type Interfaces } from '@oclif/core'
import {
  type ExecutorProtocol,
  type ExecutorRegistry,
  followRun,
  formatIssuePath,
  outcomeError,
  PluginDiscovery,
  PluginEnvironment,
  parsePluginSpecifier,
  type RunOutcome,
  type RunStore,
  redact,
  toJsonValue,
} from '@synapse/core'
import { createExecutors } from '../../executors'
import { pluginPathFlag } from '../../plugin-flags'
import { registryFlag } from '../../registry-flag'
import { JsonlFileSink } from '../../sinks/jsonl-file-sink'
import { openStore, storeFlag } from '../../store'
import { SynapseCommand } from '../../synapse-command'
import { readEnvPairs, readParams } from '../../ui/params-input'
import { ProgressDisplay } from '../../ui/progress-display'
import { EXIT } from '../../ui/report-error'
import { guardStdout } from '../../ui/stdout-guard'

export class PluginRun extends SynapseCommand {
  static override summary = 'Run one action of a plugin'
  static override description =
    `Reads the plugin's config.yaml, validates the params against the action's schema
(nothing runs on a bad input), runs the action and prints its result. Progress and logs go to
stderr while it runs; the result goes to stdout. The run is recorded in the run store
(see \`synapse runs\`) unless --no-store is given.`

  static override examples = [
    '<%= config.bin %> plugin run train --path ./my-plugin --params \'{"epochs": 3}\'',
    '<%= config.bin %> plugin run label-stats --path examples/yolo-label-stats --params @params.json --json',
  ]

  static override args = {
    action: Args.string({ description: 'Name of the action (as in config.yaml)', required: true }),
  }

  static override flags = {
    ...pluginPathFlag,
    plugin: Flags.string({
      description:
        'A published plugin, code@version: fetched from the registry into the cache (over --path)',
    }),
    ...registryFlag,
    params: Flags.string({
      description: 'Params as JSON, @file.json, or @- to read them from stdin',
    }),
    mode: Flags.string({
      char: 'm',
      description:
        'Where to run: local, task (queue workers) or job (a process per run on a worker)',
      default: 'local',
    }),
    redis: Flags.string({
      description: 'Redis of the queue workers, for --mode task|job',
      env: 'SYNAPSE_REDIS_URL',
    }),
    queue: Flags.string({ description: "Queue to submit to (default: the mode's own)" }),
    env: Flags.string({
      char: 'e',
      description: 'Environment entry KEY=VALUE for the run (repeatable)',
      multiple: true,
      // One value per --env, so `--env A=1 train` leaves `train` as the action.
      multipleNonGreedy: true,
      default: [],
    }),
    json: Flags.boolean({ description: 'Print only the result, as JSON, on stdout' }),
    quiet: Flags.boolean({ char: 'q', description: 'No progress or logs on stderr' }),
    'events-file': Flags.string({ description: 'Also write every run event as JSON lines here' }),
    'run-id': Flags.string({
      description:
        'Id for the run (default: a new one); submitting the same id again starts no second run',
    }),
    ...storeFlag,
    'no-store': Flags.boolean({ description: 'Do not record the run in the run store' }),
    debug: Flags.boolean({ description: 'Show stack traces on errors' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(PluginRun)
    await this.#run(args.action, flags)
  }

  async #run(
    actionName: string,
    flags: Interfaces.InferredFlags<typeof PluginRun.flags>,
  ): Promise<void> {
    const params = await readParams(flags.params)
    const release = flags.plugin === undefined ? undefined : parsePluginSpecifier(flags.plugin)
    const plugin = PluginDiscovery.fromPath(await pluginDirOf(flags))
    if (!flags.quiet) {
      // What config.yaml says of other actions is not this run's business.
      for (const w of plugin.warnings.filter((w) => w.path[1] === actionName)) {
        process.stderr.write(`warning: ${w.location} ${formatIssuePath(w.path)}: ${w.message}\n`)
      }
    }
    const env = PluginEnvironment.merge(
      storeWorkspace(flags),
      plugin.config.env,
      readEnvPairs(flags.env),
    )
    const eventsFile = flags['events-file']
    const releaseStdout = guardStdout()
    let store: RunStore | undefined
    let executors: ExecutorRegistry | undefined
    try {
      const action = await plugin.getAction(actionName)
      store = flags['no-store'] ? undefined : await openStore(flags)
      executors = await createExecutors({
        ...(eventsFile !== undefined && { sinks: () => [new JsonlFileSink(eventsFile)] }),
        ...(store !== undefined && { store }),
        queue: { redis: flags.redis, queue: flags.queue },
      })
      const executor = executors.get(flags.mode)
      const runId = await executor.submit({
        action,
        params,
        // A release travels by name, so a queue worker elsewhere installs the same one.
        source: { ...plugin.sourceOf(actionName), ...(release !== undefined && { release }) },
        env,
        ...(flags['run-id'] !== undefined && { runId: flags['run-id'] }),
      })
      const outcome = await this.#follow(executor, runId, flags.quiet)
      releaseStdout()
      if (outcome.status !== 'completed') throw outcomeError(outcome)
      // The same JSON as the run's result event (a bigint as a string), secrets masked.
      const result = redact(toJsonValue(outcome.result ?? null), env.secretValues())
      process.stdout.write(`${JSON.stringify(result, null, flags.json ? undefined : 2)}\n`)
    } finally {
      releaseStdout()
      // The run's last events reach the store before the process exits.
      await executors?.close()
      await store?.close()
    }
  }

  /** Shows the run as it goes; Ctrl-C cancels it. */
  async #follow(executor: ExecutorProtocol, runId: string, quiet: boolean): Promise<RunOutcome> {
    // First Ctrl-C: ask the run to stop. Second: stop it now, still recording how it ended.
    // Third: leave at once.
    let interrupts = 0
    const onSigint = () => {
      interrupts++
      if (interrupts === 1) {
        process.stderr.write('\nCancelling… (Ctrl-C again to stop now)\n')
        void executor.cancel(runId)
      } else if (interrupts === 2) {
        process.stderr.write('Stopping now… (Ctrl-C again to quit without waiting)\n')
        void executor.cancel(runId, { graceMs: 0 })
      } else process.exit(EXIT.CANCELLED)
    }
    process.on('SIGINT', onSigint)
    const display = quiet ? undefined : new ProgressDisplay(process.stderr)
    try {
      return await followRun(executor, runId, {
        ...(display !== undefined && { onEvent: (event) => display.handle(event) }),
      })
    } finally {
      display?.end()
      process.off('SIGINT', onSigint)
    }
  }
}

// The name @synapse/actions reads; spelled here so a run does not load that package to know it.
const WORKSPACE_ENV = 'SYNAPSE_WORKSPACE'

/**
 * Category actions keep datasets and models in the workspace beside the run store: a run told
 * to use another store (`--store`) uses that store's workspace, unless one is named already
 * (`$SYNAPSE_WORKSPACE`, or in the plugin's `env` or `--env`, both laid over this).
 */
function storeWorkspace(flags: { store?: string | undefined; 'no-store'?: boolean }) {
  if (flags.store === undefined || flags['no-store'] === true) return {}
  if ((process.env[WORKSPACE_ENV] ?? '') !== '') return {}
  return { [WORKSPACE_ENV]: dirname(resolve(flags.store)) }
}

/** `--plugin code@version` becomes its unpacked copy in the cache; else `--path` as given. */
async function pluginDirOf(flags: {
  path: string
  plugin?: string | undefined
  registry?: string | undefined
}): Promise<string> {
  if (flags.plugin === undefined) return flags.path
  const { code, version } = parsePluginSpecifier(flags.plugin)
  // Loaded only here: a run from a path pays nothing for the registry at start.
  const { defaultPluginCacheDir, openRegistry, RegistryInstaller } = await import(
    '@synapse/registry/install'
  )
  const installer = new RegistryInstaller(openRegistry(flags.registry), defaultPluginCacheDir())
  return installer.install(code, version)
}
