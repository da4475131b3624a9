import { Args, Flags } from '@oclif/core'
import { RunNotFoundError } from '@synapse/core'
import { emptyPipelineState } from '@synapse/pipelines'
import { storeFlag, withStore } from '../../store'
import { SynapseCommand } from '../../synapse-command'
import { PipelineView } from '../../ui/pipeline-display'
import { describeSerializedError } from '../../ui/report-error'

export class PipelineStatus extends SynapseCommand {
  static override summary =
    "Show a pipeline run: its status, each action's status, progress and time"
  static override examples = [
    '<%= config.bin %> pipeline status pipeline-5b0c…',
    '<%= config.bin %> pipeline status pipeline-5b0c… --json',
  ]

  static override args = {
    runId: Args.string({ description: 'The pipeline run id', required: true }),
  }

  static override flags = {
    json: Flags.boolean({
      description: 'Print the run as JSON: status, percent, attempt, steps, checkpoints, result',
    }),
    ...storeFlag,
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(PipelineStatus)
    const view = await withStore(flags, async (store) => {
      const record = await store.getRun(args.runId)
      if (record === undefined) throw new RunNotFoundError(args.runId)
      const folded = new PipelineView(emptyPipelineState(record))
      for await (const event of store.readEvents(args.runId)) folded.apply(event)
      if (record.result !== undefined) folded.state.result = record.result
      return folded
    })
    const { state } = view
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(state)}\n`)
      return
    }
    const lines = [
      `pipeline run ${state.runId}  (${state.name})`,
      `  status   ${state.status}${state.cancelRequestedAt === undefined ? '' : `  (cancel requested ${state.cancelRequestedAt})`}`,
      `  percent  ${state.percent.toFixed(1)}%`,
      `  attempt  ${state.attempt}`,
      'steps',
      ...view.lines(),
    ]
    if (state.result !== undefined) lines.push('result', `  ${JSON.stringify(state.result)}`)
    if (state.error !== undefined) {
      lines.push('error', `  ${describeSerializedError(state.error).replaceAll('\n', '\n  ')}`)
    }
    process.stdout.write(`${lines.join('\n')}\n`)
  }
}
