import { Args, Flags } from '@oclif/core'
import { datasetStats, formatDatasetStats } from '@synapse/datasets'
import { SynapseCommand } from '../../synapse-command'
import { interruptSignal, readFlags, readOptionsFrom, YOLO_TASKS } from './dataset-flags'

export class DatasetStats extends SynapseCommand {
  static override summary = 'Count images and annotations per class, kind and split'

  static override args = {
    input: Args.string({ description: 'Dataset folder (or COCO .json file)', required: true }),
  }

  static override flags = {
    ...readFlags,
    task: Flags.string({ description: 'YOLO task of the input', options: [...YOLO_TASKS] }),
    'on-error': Flags.string({
      description: 'Bad input items: fail at the first, or skip and count them',
      options: ['fail', 'skip'],
      default: 'skip',
    }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DatasetStats)
    const interrupt = interruptSignal()
    try {
      const result = await datasetStats({
        ...readOptionsFrom(flags, args.input, interrupt.signal),
        onError: flags['on-error'] as 'fail' | 'skip',
        ...(flags.task !== undefined && { task: flags.task as (typeof YOLO_TASKS)[number] }),
      })
      process.stdout.write(
        flags.json ? `${JSON.stringify(result)}\n` : `${formatDatasetStats(result.stats)}\n`,
      )
    } finally {
      interrupt.dispose()
    }
  }
}
