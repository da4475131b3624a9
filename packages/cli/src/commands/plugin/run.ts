import { Args, Flags } from '@oclif/core'
import { PluginDiscovery, PluginEnvironment, type RunEvent } from '@synapse/core'
import { createExecutors } from '../../executors'
import { JsonlFileSink } from '../../sinks/jsonl-file-sink'
import { SynapseCommand } from '../../synapse-command'
import { readEnvPairs, readParams } from '../../ui/params-input'
import { ProgressDisplay } from '../../ui/progress-display'
import { EXIT } from '../../ui/report-error'

export class PluginRun extends SynapseCommand {
  static override summary = 'Run one action of a plugin'
  static override description =
    `Reads the plugin's config.yaml, validates the params against the action's schema
(nothing runs on a bad input), runs the action and prints its result. Progress and logs go to
stderr while it runs; the result goes to stdout.`

  static override examples = [
    '<%= config.bin %> plugin run train --path ./my-plugin --params \'{"epochs": 3}\'',
    '<%= config.bin %> plugin run label-stats --path examples/yolo-label-stats --params @params.json --json',
  ]

  static override args = {
    action: Args.string({ description: 'Name of the action (as in config.yaml)', required: true }),
  }

  static override flags = {
    path: Flags.string({
      char: 'p',
      description: 'Plugin directory or its config.yaml',
      default: '.',
    }),
    params: Flags.string({ description: 'Params as JSON, or @file.json' }),
    mode: Flags.string({ char: 'm', description: 'Where to run: local', default: 'local' }),
    env: Flags.string({
      char: 'e',
      description: 'Environment entry KEY=VALUE for the run (repeatable)',
      multiple: true,
      default: [],
    }),
    json: Flags.boolean({ description: 'Print only the result, as JSON, on stdout' }),
    quiet: Flags.boolean({ char: 'q', description: 'No progress or logs on stderr' }),
    'events-file': Flags.string({ description: 'Also write every run event as JSON lines here' }),
    debug: Flags.boolean({ description: 'Show stack traces on errors' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(PluginRun)
    await this.#run(args.action, flags)
  }

  async #run(
    actionName: string,
    flags: {
      path: string
      params: string | undefined
      mode: string
      env: string[]
      json: boolean
      quiet: boolean
      'events-file': string | undefined
    },
  ): Promise<void> {
    const params = readParams(flags.params)
    const plugin = PluginDiscovery.fromPath(flags.path)
    const action = await plugin.getAction(actionName)
    const eventsFile = flags['events-file']
    const executors = createExecutors(
      eventsFile === undefined ? {} : { sinks: () => [new JsonlFileSink(eventsFile)] },
    )
    const executor = executors.get(flags.mode)
    const env = PluginEnvironment.merge(plugin.config.env, readEnvPairs(flags.env))

    const runId = await executor.submit({
      action,
      params,
      source: plugin.sourceOf(actionName),
      env,
    })
    // Ctrl-C asks the run to stop; a second one leaves at once.
    let interrupted = false
    const onSigint = () => {
      if (interrupted) process.exit(EXIT.CANCELLED)
      interrupted = true
      process.stderr.write('\nCancelling… (Ctrl-C again to quit now)\n')
      void executor.cancel(runId)
    }
    process.on('SIGINT', onSigint)
    try {
      const display = flags.quiet ? undefined : new ProgressDisplay(process.stderr)
      const stream = (async () => {
        for await (const event of executor.events(runId, { follow: true })) {
          display?.handle(event as RunEvent)
        }
      })()
      const outcome = await executor.wait(runId)
      await stream
      display?.end()
      if (outcome.status !== 'completed') throw outcome.error
      const text = JSON.stringify(outcome.result ?? null, null, flags.json ? undefined : 2)
      process.stdout.write(`${text}\n`)
    } finally {
      process.off('SIGINT', onSigint)
    }
  }
}
