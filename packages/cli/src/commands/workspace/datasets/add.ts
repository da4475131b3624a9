import { Args, Flags } from '@oclif/core'
import { DATASET_FORMATS } from '@synapse/datasets'
import { SynapseCommand } from '../../../synapse-command'
import { openWorkspace, workspaceFlag } from '../../../workspace'

export class WorkspaceDatasetsAdd extends SynapseCommand {
  static override summary = 'Check a dataset folder and add a copy of it to the workspace'
  static override description =
    `The folder is read in full in the format given; a dataset that does not read is
refused with the file and line of the problem, and nothing is stored. Training actions take the
printed id as their \`dataset\` param.`

  static override examples = [
    '<%= config.bin %> workspace datasets add examples/train-classifier/data/shapes --format yolo',
    '<%= config.bin %> workspace datasets add data/coco --format coco --name street --json',
  ]

  static override args = {
    path: Args.string({ description: 'Dataset folder (or COCO .json file)', required: true }),
  }

  static override flags = {
    format: Flags.string({
      description: `Format of the dataset (${DATASET_FORMATS.join(', ')})`,
      required: true,
    }),
    name: Flags.string({ description: 'Name to show (default: the folder name)' }),
    json: Flags.boolean({ description: 'Print the dataset record as JSON' }),
    ...workspaceFlag,
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkspaceDatasetsAdd)
    const record = await openWorkspace(flags).addDataset(args.path, {
      format: flags.format,
      name: flags.name,
    })
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(record)}\n`)
      return
    }
    const splits = Object.entries(record.splits)
      .map(([name, n]) => `${name === '' ? '(no split)' : name} ${n}`)
      .join(', ')
    process.stdout.write(
      `Added dataset ${record.id} (${record.name}, ${record.format}): ${record.images} images, ${record.annotations} annotations, ${record.categories} classes; ${splits}\n`,
    )
  }
}
