import { relative } from 'node:path'
import { Flags } from '@oclif/core'
import { describeChange, syncPluginConfig } from '@synapse/authoring'
import { pluginPathFlag } from '../../plugin-flags'
import { SynapseCommand } from '../../synapse-command'

export class PluginUpdateConfig extends SynapseCommand {
  static override summary = "Sync config.yaml's actions from the plugin's code"
  static override description =
    "Adds the actions the code has, and writes each one's entrypoint, the method and input/output types the code declares, " +
    'and the params form of train, tune and upload. Comments and key order are kept. Actions are found by reading the sources, ' +
    'so one whose imports are broken is still synced. With --check nothing is written and drift exits 1, for CI.'
  static override examples = [
    '<%= config.bin %> plugin update-config --path ./my-plugin',
    '<%= config.bin %> plugin update-config --check',
  ]

  static override flags = {
    ...pluginPathFlag,
    check: Flags.boolean({
      description: 'Change nothing; exit 1 when config.yaml differs from the code',
    }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(PluginUpdateConfig)
    const result = await syncPluginConfig(flags.path, { check: flags.check })
    for (const p of result.problems) {
      process.stderr.write(
        `warning: ${relative(process.cwd(), p.file)}:${p.line}:${p.column} ${p.message}\n`,
      )
    }
    const where = relative(process.cwd(), result.path) || result.path
    if (result.changes.length === 0) {
      process.stdout.write(`${where} is in sync with the code\n`)
      return
    }
    const verb = flags.check ? 'differs from the code' : 'updated'
    process.stdout.write(
      `${where} ${verb}:\n${result.changes.map((c) => `  ${describeChange(c)}\n`).join('')}`,
    )
    if (flags.check) {
      process.stdout.write(
        `run \`synapse plugin update-config --path ${flags.path}\` to write these changes\n`,
      )
      this.exit(1)
    }
  }
}
