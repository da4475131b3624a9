import { Args, Flags } from '@oclif/core'
import { PluginDiscovery, toJsonSchema, toUiSchema } from '@synapse/core'
import { pluginPathFlag } from '../../plugin-flags'
import { SynapseCommand } from '../../synapse-command'

export class PluginSchema extends SynapseCommand {
  static override summary = "Print an action's params (or result) schema, as a form or JSON Schema"
  static override description =
    'formkit: one FormKit input per param, for a UI to render (labels, defaults, bounds, options). ' +
    'jsonschema: the JSON Schema (draft 2020-12) of what a caller may send; with --result, of what the action returns.'
  static override examples = [
    '<%= config.bin %> plugin schema train --path ./my-plugin',
    '<%= config.bin %> plugin schema train --format jsonschema',
    '<%= config.bin %> plugin schema train --result --format jsonschema',
  ]

  static override args = {
    action: Args.string({ description: 'Name of the action (as in config.yaml)', required: true }),
  }

  static override flags = {
    ...pluginPathFlag,
    format: Flags.string({
      char: 'f',
      description: 'formkit (a UI form) or jsonschema',
      options: ['formkit', 'jsonschema'],
      default: 'formkit',
    }),
    result: Flags.boolean({ description: "Describe the action's result instead of its params" }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(PluginSchema)
    const plugin = PluginDiscovery.fromPath(flags.path)
    const action = await plugin.getAction(args.action)
    const schema = flags.result ? action.result : action.params
    if (schema === undefined) {
      // Nothing to describe is an answer, not an error: the action declares no result schema.
      process.stdout.write('null\n')
      process.stderr.write(`action '${args.action}' declares no result schema\n`)
      return
    }
    const side = flags.result ? 'output' : 'input'
    const out =
      flags.format === 'jsonschema'
        ? toJsonSchema(schema, side)
        : { action: args.action, ui_schemas: toUiSchema(schema) }
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
  }
}
