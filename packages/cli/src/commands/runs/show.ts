import { Args, Flags } from '@oclif/core'
import { RunNotFoundError, type RunRecord, redact } from '@synapse/core'
import { storeFlag, withStore } from '../../store'
import { SynapseCommand } from '../../synapse-command'
import { renderBar } from '../../ui/progress-display'
import { describeSerializedError } from '../../ui/report-error'
import { type RunSummary, summarizeEvents } from '../../ui/run-summary'
import { formatDuration, formatTable } from '../../ui/table'

export class RunsShow extends SynapseCommand {
  // The spec's name for it.
  static override aliases = ['plugin:job:get']
  static override summary =
    'Show one recorded run: status, params, result or error, timings, progress, metrics'
  static override examples = [
    '<%= config.bin %> runs show 0mk3x9a1-4f2c9d1e',
    '<%= config.bin %> runs show 0mk3x9a1-4f2c9d1e --json',
  ]

  static override args = {
    runId: Args.string({ description: 'The run id (see `synapse runs list`)', required: true }),
  }

  static override flags = {
    json: Flags.boolean({ description: 'Print the record, its progress and metrics as JSON' }),
    ...storeFlag,
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(RunsShow)
    const { record, summary } = await withStore(flags, async (store) => {
      const found = await store.getRun(args.runId)
      if (found === undefined) throw new RunNotFoundError(args.runId)
      const events = []
      for await (const event of store.readEvents(args.runId)) events.push(event)
      return { record: found, summary: summarizeEvents(events) }
    })
    // Params were masked when recorded; values under secret-looking keys are masked again here
    // for records written by anything else.
    const shown: RunRecord = { ...record, params: redact(record.params, []) }
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ ...shown, ...summary })}\n`)
      return
    }
    process.stdout.write(describeRun(shown, summary))
  }
}

/** A run for a person to read, one field a line. */
export function describeRun(run: RunRecord, summary: RunSummary): string {
  const rows: [string, string][] = [
    ['Run', run.runId],
    ['Action', run.plugin === undefined ? run.action : `${run.action}  (${run.plugin})`],
    ['Status', run.status],
    ['Executor', run.executor],
  ]
  if (run.parentRunId !== undefined) rows.push(['Pipeline', run.parentRunId])
  rows.push(['Created', run.createdAt])
  if (run.startedAt !== undefined) rows.push(['Started', run.startedAt])
  if (run.finishedAt !== undefined) {
    const took =
      run.startedAt === undefined
        ? ''
        : `  (${formatDuration(Date.parse(run.finishedAt) - Date.parse(run.startedAt))})`
    rows.push(['Finished', `${run.finishedAt}${took}`])
  }
  rows.push(['Params', JSON.stringify(run.params)])
  let text = formatTable(['', ''], rows).split('\n').slice(1).join('\n')
  const progress = Object.entries(summary.progress)
  if (progress.length > 0) {
    text += `Progress\n${progress.map(([category, p]) => `  ${renderBar({ type: 'progress', category, ...p })}\n`).join('')}`
  }
  const metrics = Object.entries(summary.metrics)
  if (metrics.length > 0) {
    text += `Metrics\n${metrics.map(([category, values]) => `  ${category}  ${JSON.stringify(values)}\n`).join('')}`
  }
  if (run.result !== undefined)
    text += `Result\n  ${JSON.stringify(run.result, null, 2).replaceAll('\n', '\n  ')}\n`
  if (run.error !== undefined)
    text += `Error\n  ${describeSerializedError(run.error).replaceAll('\n', '\n  ')}\n`
  return text
}
