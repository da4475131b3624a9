import { Args, Flags } from '@oclif/core'
import { isTerminalStatus, type RunStatus } from '@synapse/core'
import { storeFlag, withStore } from '../../store'
import { SynapseCommand } from '../../synapse-command'
import { formatEvent } from '../../ui/format-event'
import { EXIT } from '../../ui/report-error'

const EXIT_BY_STATUS: Partial<Record<RunStatus, number>> = {
  completed: 0,
  failed: EXIT.FAILED,
  cancelled: EXIT.CANCELLED,
}

export class RunsLogs extends SynapseCommand {
  // The spec's name for it.
  static override aliases = ['plugin:job:logs']
  static override summary = "Print a run's events (logs, progress, metrics, status); -f follows it"
  static override description =
    `Reads the run store, so it works for a run started in another terminal or process.
With --follow it waits for new events until the run ends, then exits with the run's own exit code
(0 completed, 1 failed, 130 cancelled).`

  static override examples = [
    '<%= config.bin %> runs logs 0mk3x9a1-4f2c9d1e',
    '<%= config.bin %> runs logs 0mk3x9a1-4f2c9d1e -f',
    '<%= config.bin %> runs logs 0mk3x9a1-4f2c9d1e --json | jq .type',
  ]

  static override args = {
    runId: Args.string({ description: 'The run id (see `synapse runs list`)', required: true }),
  }

  static override flags = {
    follow: Flags.boolean({
      char: 'f',
      description: 'Keep printing new events until the run ends',
    }),
    json: Flags.boolean({ description: 'One JSON event per line' }),
    ...storeFlag,
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(RunsLogs)
    // Ctrl-C stops following; the run itself goes on.
    const stop = new AbortController()
    const onSigint = () => stop.abort()
    process.once('SIGINT', onSigint)
    try {
      const last = await withStore(flags, async (store) => {
        let status: RunStatus | undefined
        for await (const event of store.readEvents(args.runId, {
          follow: flags.follow,
          signal: stop.signal,
        })) {
          process.stdout.write(`${flags.json ? JSON.stringify(event) : formatEvent(event)}\n`)
          if (event.type === 'status') status = event.status
        }
        return status
      })
      if (flags.follow && last !== undefined && isTerminalStatus(last)) {
        const code = EXIT_BY_STATUS[last] ?? 0
        if (code !== 0) this.exit(code)
      }
    } finally {
      process.off('SIGINT', onSigint)
    }
  }
}
