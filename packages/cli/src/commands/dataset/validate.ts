import { Args, Flags } from '@oclif/core'
import { formatLossReport, validateDataset } from '@synapse/datasets'
import { SynapseCommand } from '../../synapse-command'
import { EXIT } from '../../ui/report-error'
import { interruptSignal, readFlags, readOptionsFrom, YOLO_TASKS } from './dataset-flags'

export class DatasetValidate extends SynapseCommand {
  static override summary = 'Check a dataset against its format and its own references'
  static override description =
    `Reads every file (bad items are collected, not fatal), then checks that every
annotation's image exists, category ids are defined and boxes lie inside their image.
Exits 0 when the dataset is clean, 1 when problems were found.`

  static override args = {
    input: Args.string({ description: 'Dataset folder (or COCO .json file)', required: true }),
  }

  static override flags = {
    ...readFlags,
    task: Flags.string({ description: 'YOLO task of the input', options: [...YOLO_TASKS] }),
    'no-images': Flags.boolean({ description: 'Do not check that image files exist' }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DatasetValidate)
    const interrupt = interruptSignal()
    let ok = false
    try {
      const result = await validateDataset({
        ...readOptionsFrom(flags, args.input, interrupt.signal),
        checkImages: !flags['no-images'],
        ...(flags.task !== undefined && { task: flags.task as (typeof YOLO_TASKS)[number] }),
      })
      ok = result.ok
      process.stdout.write(
        flags.json
          ? `${JSON.stringify(result)}\n`
          : `${formatLossReport(result.report)}\n${ok ? 'valid' : 'problems found'}\n`,
      )
    } finally {
      interrupt.dispose()
    }
    if (!ok) this.exit(EXIT.FAILED)
  }
}
