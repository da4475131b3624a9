import { Flags } from '@oclif/core'
import { SynapseCommand } from '../../../synapse-command'
import { formatTable } from '../../../ui/table'
import { openWorkspace, workspaceFlag } from '../../../workspace'

export class WorkspaceModelsList extends SynapseCommand {
  static override summary = 'List the models in the workspace, oldest first'
  static override examples = [
    '<%= config.bin %> workspace models list',
    '<%= config.bin %> workspace models list --json',
  ]

  static override flags = {
    json: Flags.boolean({ description: 'Print the model records as a JSON array' }),
    ...workspaceFlag,
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(WorkspaceModelsList)
    const workspace = openWorkspace(flags)
    const models = await workspace.listModels()
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(models)}\n`)
      return
    }
    if (models.length === 0) {
      process.stdout.write(`No models in ${workspace.root}.\n`)
      return
    }
    process.stdout.write(
      formatTable(
        ['ID', 'NAME', 'FILES', 'SIZE', 'RUN', 'CREATED'],
        models.map((m) => [
          m.id,
          m.name,
          String(m.files.length),
          formatBytes(m.size),
          typeof m.meta['runId'] === 'string' ? m.meta['runId'] : '-',
          m.createdAt.replace('T', ' ').slice(0, 19),
        ]),
      ),
    )
  }
}

/** `1.2 KB`, `3.4 MB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}
