import { Args, Flags } from '@oclif/core'
import { SynapseCommand } from '../../../synapse-command'
import { formatTable } from '../../../ui/table'
import { openWorkspace, workspaceFlag } from '../../../workspace'
import { formatBytes } from './list'

export class WorkspaceModelsShow extends SynapseCommand {
  static override summary =
    'Show one model: its files with their SHA-256, checked, and its metadata'
  static override description =
    `Every file is hashed again and compared with the checksum recorded when the
model was stored; a file that changed fails with CHECKSUM_MISMATCH naming it.`

  static override examples = [
    '<%= config.bin %> workspace models show model-3f9a1c2e',
    '<%= config.bin %> workspace models show model-3f9a1c2e --json',
  ]

  static override args = {
    id: Args.string({
      description: 'Model id (see `synapse workspace models list`)',
      required: true,
    }),
  }

  static override flags = {
    json: Flags.boolean({ description: 'Print the model record as JSON' }),
    ...workspaceFlag,
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkspaceModelsShow)
    const model = await openWorkspace(flags).getModel(args.id)
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(model)}\n`)
      return
    }
    const lines = [
      `Model    ${model.id}  ${model.name}`,
      `Created  ${model.createdAt}`,
      `Path     ${model.path}`,
      `SHA-256  ${model.sha256} (files verified)`,
      `Size     ${formatBytes(model.size)}`,
      '',
      formatTable(
        ['FILE', 'SIZE', 'SHA-256'],
        model.files.map((f) => [f.path, formatBytes(f.size), f.sha256]),
      ).trimEnd(),
    ]
    if (Object.keys(model.meta).length > 0) {
      lines.push('', 'Metadata', JSON.stringify(model.meta, null, 2))
    }
    process.stdout.write(`${lines.join('\n')}\n`)
  }
}
