import { Args, Flags } from '@oclif/core'
import type { PipelineDiagnostic } from '@synapse/pipelines'
import { openPipelineFile } from '../../pipeline-session'
import { SynapseCommand } from '../../synapse-command'
import { EXIT } from '../../ui/report-error'
import { paramsFlag } from './pipeline-flags'

export class PipelinePlan extends SynapseCommand {
  static override summary = 'Check a pipeline file and print its graph, without running anything'
  static override description =
    `Prints the steps as they would run (inserted converters included, with their types), then
what the checks found: type mismatches, converters spliced in, params no action before provides.
The first action's params are validated against its schema. Exits 2 when a check fails (the same
checks \`pipeline run\` refuses to start on), 0 otherwise. Nothing is run or stored.`

  static override examples = [
    '<%= config.bin %> pipeline plan pipeline.yaml',
    '<%= config.bin %> pipeline plan pipeline.yaml --params \'{"epochs": 3}\' --json',
  ]

  static override args = {
    file: Args.string({ description: 'The pipeline file (YAML)', required: true }),
  }

  static override flags = {
    ...paramsFlag,
    json: Flags.boolean({ description: 'Print { name, ok, steps, diagnostics, params } as JSON' }),
    debug: Flags.boolean({ description: 'Show stack traces on errors' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(PipelinePlan)
    // Every diagnostic is in the plan; none is printed on the side.
    const ignore = (_: PipelineDiagnostic) => {}
    const { pipeline, params } = await openPipelineFile(args.file, flags.params, {
      onDiagnostic: ignore,
    })
    const plan = pipeline.plan(params)
    if (flags.json) {
      const { text: _, ...rest } = plan
      process.stdout.write(`${JSON.stringify({ ...rest, params })}\n`)
    } else process.stdout.write(`${plan.text}\n`)
    if (!plan.ok) process.exitCode = EXIT.USAGE
  }
}
