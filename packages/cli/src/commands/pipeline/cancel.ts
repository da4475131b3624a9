import { Args, Flags } from '@oclif/core'
import { isTerminalStatus, RunNotFoundError, WaitTimeoutError } from '@synapse/core'
import { requestPipelineCancel } from '@synapse/pipelines'
import { storeFlag, withStore } from '../../store'
import { SynapseCommand } from '../../synapse-command'

export class PipelineCancel extends SynapseCommand {
  static override summary = 'Cancel a pipeline run, whichever process is running it'
  static override description =
    `Marks the run in the run store as asked to cancel; the process running it (this machine or
any other using the same store) stops the action going and ends the run cancelled, its completed
actions kept for \`synapse pipeline resume\`. Waits until the run has ended (--wait seconds,
0 to not wait). Exits 1 when the run has not stopped by then, as when its process is gone.`

  static override examples = [
    '<%= config.bin %> pipeline cancel pipeline-5b0c…',
    '<%= config.bin %> pipeline cancel pipeline-5b0c… --wait 0 --json',
  ]

  static override args = {
    runId: Args.string({ description: 'The pipeline run id', required: true }),
  }

  static override flags = {
    wait: Flags.integer({
      description: 'Seconds to wait for the run to stop (0: ask and return)',
      default: 30,
      min: 0,
    }),
    json: Flags.boolean({ description: 'Print { runId, outcome, status } as JSON' }),
    ...storeFlag,
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(PipelineCancel)
    const { outcome, status } = await withStore(flags, async (store) => {
      const asked = await requestPipelineCancel(store, args.runId)
      if (asked === 'not-found') throw new RunNotFoundError(args.runId)
      let record = await store.getRun(args.runId)
      if (asked === 'requested' && flags.wait > 0 && record !== undefined) {
        const signal = AbortSignal.timeout(flags.wait * 1000)
        for await (const _ of store.readEvents(args.runId, {
          follow: true,
          afterSeq: record.lastSeq,
          signal,
        })) {
          // The stream ends at the run's terminal status, or when the wait runs out.
        }
        record = await store.getRun(args.runId)
        if (record !== undefined && !isTerminalStatus(record.status)) {
          throw new WaitTimeoutError(args.runId, flags.wait * 1000, {
            details: { cancelRequestedAt: record.cancelRequestedAt },
          })
        }
      }
      return { outcome: asked, status: record?.status }
    })
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ runId: args.runId, outcome, status })}\n`)
      return
    }
    const said =
      outcome === 'already-terminal'
        ? `pipeline run ${args.runId} had already ended: ${status}`
        : status !== undefined && isTerminalStatus(status)
          ? `pipeline run ${args.runId} ${status}`
          : `cancel of pipeline run ${args.runId} requested`
    process.stdout.write(`${said}\n`)
  }
}
