import { Args, Flags } from '@oclif/core'
import { isTerminalStatus, PluginError } from '@synapse/core'
import { definitionOf, PipelineAlreadyCompletedError, readPipelineState } from '@synapse/pipelines'
import { rebuildPipeline, runPipelineSession } from '../../pipeline-session'
import { withStore } from '../../store'
import { SynapseCommand } from '../../synapse-command'
import { runFlags } from './pipeline-flags'

export class PipelineResume extends SynapseCommand {
  static override summary = 'Continue a pipeline run from the first action that did not complete'
  static override description =
    `Rebuilds the pipeline the run was started with (its definition is kept with the run) and
runs it on from the first action without a checkpoint, reusing the stored results of those that
completed. A completed run is left as it is. A run still marked running is refused unless
--force says its process is gone (killed or crashed).`

  static override examples = [
    '<%= config.bin %> pipeline resume pipeline-5b0c…',
    '<%= config.bin %> pipeline resume pipeline-5b0c… --force',
  ]

  static override args = {
    runId: Args.string({ description: 'The pipeline run id', required: true }),
  }

  static override flags = {
    force: Flags.boolean({
      description: 'Resume a run still marked running: its process must be gone',
    }),
    ...runFlags,
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(PipelineResume)
    const quiet = flags.quiet || flags.json
    await withStore(flags, async (store) => {
      const state = await readPipelineState(store, args.runId)
      if (state.status === 'completed') throw new PipelineAlreadyCompletedError(args.runId)
      if (!isTerminalStatus(state.status) && !flags.force) {
        throw new PluginError(
          `Pipeline run '${args.runId}' is still marked ${state.status}: if the process running it is gone (killed, crashed), resume it with --force`,
          { code: 'RUN_CONFLICT', details: { runId: args.runId, status: state.status } },
        )
      }
      const record = await store.getRun(args.runId)
      const params =
        typeof record?.params === 'object' &&
        record.params !== null &&
        !Array.isArray(record.params)
          ? (record.params as Record<string, unknown>)
          : {}
      const definition = definitionOf(state.source, args.runId)
      const pipeline = await rebuildPipeline(definition, params, quiet).catch((error: unknown) => {
        throw new PluginError(
          `Cannot rebuild pipeline run '${args.runId}' from ${definition.file}: ${PluginError.from(error).message}`,
          { code: PluginError.is(error) ? error.code : 'PIPELINE_NO_DEFINITION', cause: error },
        )
      })
      await runPipelineSession({
        store,
        pipeline,
        quiet,
        json: flags.json,
        start: (executors) =>
          pipeline.resume(args.runId, { executor: executors.get('local'), store }),
      })
    })
  }
}
