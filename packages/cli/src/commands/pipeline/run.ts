import { Args, Flags } from '@oclif/core'
import { openPipelineFile, runPipelineSession } from '../../pipeline-session'
import { withStore } from '../../store'
import { SynapseCommand } from '../../synapse-command'
import { paramsFlag, runFlags } from './pipeline-flags'

export class PipelineRun extends SynapseCommand {
  static override summary = 'Run a pipeline defined in a YAML file'
  static override description =
    `Reads the pipeline file, checks that its actions fit together and that the params cover
what each action needs (nothing runs otherwise), then runs each action as a run of its own,
keeping a checkpoint in the run store after each. The live display shows one line per action
on stderr; the last action's result goes to stdout. A failed or cancelled run is continued with
\`synapse pipeline resume RUN_ID\`.`

  static override examples = [
    '<%= config.bin %> pipeline run pipeline.yaml',
    '<%= config.bin %> pipeline run pipeline.yaml --params \'{"epochs": 3}\' --json',
  ]

  static override args = {
    file: Args.string({ description: 'The pipeline file (YAML)', required: true }),
  }

  static override flags = {
    ...paramsFlag,
    'run-id': Flags.string({ description: 'Id for the pipeline run (default: a new one)' }),
    ...runFlags,
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(PipelineRun)
    const quiet = flags.quiet || flags.json
    const { pipeline, params } = await openPipelineFile(args.file, flags.params, { quiet })
    await withStore(flags, (store) =>
      runPipelineSession({
        store,
        pipeline,
        quiet,
        json: flags.json,
        start: (executors) =>
          pipeline.submit(params, {
            executor: executors.get('local'),
            store,
            ...(flags['run-id'] !== undefined && { runId: flags['run-id'] }),
          }),
      }),
    )
  }
}
