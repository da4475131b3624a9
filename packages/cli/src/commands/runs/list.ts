import { Flags } from '@oclif/core'
import { type RunRecord, RunStatus } from '@synapse/core'
import { storeFlag, withStore } from '../../store'
import { SynapseCommand } from '../../synapse-command'
import { formatDuration, formatTable } from '../../ui/table'

export class RunsList extends SynapseCommand {
  static override summary = 'List recorded runs, newest first'
  static override description =
    `Every run started with \`synapse plugin run\` is recorded in the run store
(.synapse/synapse.db under the working directory unless --store or $SYNAPSE_STORE say otherwise).`

  static override examples = [
    '<%= config.bin %> runs list',
    '<%= config.bin %> runs list --status failed --action train --limit 5',
    '<%= config.bin %> runs list --json',
  ]

  static override flags = {
    status: Flags.string({
      description: 'Only runs with this status',
      options: Object.values(RunStatus),
    }),
    action: Flags.string({ description: 'Only runs of this action' }),
    limit: Flags.integer({ description: 'At most this many runs', default: 20, min: 1 }),
    json: Flags.boolean({ description: 'Print the run records as a JSON array' }),
    ...storeFlag,
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(RunsList)
    const runs = await withStore(flags, (store) =>
      store.listRuns({
        limit: flags.limit,
        ...(flags.status !== undefined && { status: flags.status as RunStatus }),
        ...(flags.action !== undefined && { action: flags.action }),
      }),
    )
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(runs)}\n`)
      return
    }
    if (runs.length === 0) {
      process.stdout.write('No runs recorded.\n')
      return
    }
    process.stdout.write(
      formatTable(
        ['RUN ID', 'ACTION', 'STATUS', 'CREATED', 'DURATION'],
        runs.map((run) => [
          run.runId,
          run.action,
          run.status,
          run.createdAt.replace('T', ' ').slice(0, 19),
          durationOf(run),
        ]),
      ),
    )
  }
}

function durationOf(run: RunRecord): string {
  if (run.startedAt === undefined) return '-'
  const end = run.finishedAt === undefined ? Date.now() : Date.parse(run.finishedAt)
  const text = formatDuration(end - Date.parse(run.startedAt))
  return run.finishedAt === undefined ? `${text}…` : text
}
