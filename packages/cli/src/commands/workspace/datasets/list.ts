import { Flags } from '@oclif/core'
import { SynapseCommand } from '../../../synapse-command'
import { formatTable } from '../../../ui/table'
import { openWorkspace, workspaceFlag } from '../../../workspace'

export class WorkspaceDatasetsList extends SynapseCommand {
  static override summary = 'List the datasets in the workspace, oldest first'
  static override examples = [
    '<%= config.bin %> workspace datasets list',
    '<%= config.bin %> workspace datasets list --json',
  ]

  static override flags = {
    json: Flags.boolean({ description: 'Print the dataset records as a JSON array' }),
    ...workspaceFlag,
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(WorkspaceDatasetsList)
    const workspace = openWorkspace(flags)
    const datasets = await workspace.listDatasets()
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(datasets)}\n`)
      return
    }
    if (datasets.length === 0) {
      process.stdout.write(`No datasets in ${workspace.root}.\n`)
      return
    }
    process.stdout.write(
      formatTable(
        ['ID', 'NAME', 'FORMAT', 'IMAGES', 'ANNOTATIONS', 'CLASSES', 'ADDED'],
        datasets.map((d) => [
          d.id,
          d.name,
          d.format,
          String(d.images),
          String(d.annotations),
          String(d.categories),
          d.createdAt.replace('T', ' ').slice(0, 19),
        ]),
      ),
    )
  }
}
