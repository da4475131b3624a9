import { Args, Flags } from '@oclif/core'
import { convert, formatLossReport } from '@synapse/datasets'
import { SynapseCommand } from '../../synapse-command'
import {
  interruptSignal,
  readClassList,
  readFlags,
  readOptionsFrom,
  YOLO_TASKS,
} from './dataset-flags'

export class DatasetConvert extends SynapseCommand {
  static override summary = 'Convert a dataset from one format to another'
  static override description =
    `Reads IN in the --from format and writes OUT in the --to format, atomically: a failed
conversion leaves no OUT behind. Prints what the target could not hold (dropped, approximated,
clipped, renumbered), with counts and examples; --strict fails instead of losing anything.`

  static override examples = [
    '<%= config.bin %> dataset convert --from coco --to yolo annotations/instances_val.json yolo-out',
    '<%= config.bin %> dataset convert --from voc --to coco VOC2012 coco-out --voc-origin 1 --strict',
  ]

  static override args = {
    input: Args.string({ description: 'Input folder (or COCO .json file)', required: true }),
    output: Args.string({
      description: 'Output folder (must not exist unless --overwrite)',
      required: true,
    }),
  }

  static override flags = {
    ...readFlags,
    to: Flags.string({
      char: 't',
      description: 'Output format: coco, yolo, voc, dm_v1, dm_v2',
      required: true,
    }),
    strict: Flags.boolean({
      description: 'Fail, writing nothing, instead of converting with losses',
    }),
    'on-error': Flags.string({
      description: 'Bad input items: fail at the first, or skip and count them in the report',
      options: ['fail', 'skip'],
      default: 'fail',
    }),
    classes: Flags.string({ description: 'Class order: a,b,c or @classes.txt (one per line)' }),
    'class-order': Flags.string({
      description:
        "Class order without --classes: the source's own list, or synapse-sdk's sorted names",
      options: ['source', 'sorted'],
    }),
    task: Flags.string({ description: 'YOLO task to write', options: [...YOLO_TASKS] }),
    'from-task': Flags.string({ description: 'YOLO task of the input', options: [...YOLO_TASKS] }),
    crowd: Flags.string({
      description: 'Crowd regions in YOLO/VOC output: skip them (reported) or keep as objects',
      options: ['skip', 'keep'],
    }),
    images: Flags.string({
      description: 'How images travel: hard link (copy across devices), copy, symlink, none',
      options: ['link', 'copy', 'symlink', 'none'],
    }),
    overwrite: Flags.boolean({ description: 'Replace OUT if it exists (still atomically)' }),
    verify: Flags.boolean({
      description:
        'Read OUT back before putting it in place; fail, writing nothing, if it differs from IN beyond the loss report',
    }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DatasetConvert)
    const interrupt = interruptSignal()
    try {
      const classes = readClassList(flags.classes)
      const result = await convert({
        ...readOptionsFrom(flags, args.input, interrupt.signal),
        to: flags.to as Parameters<typeof convert>[0]['to'],
        output: args.output,
        strict: flags.strict,
        onError: flags['on-error'] as 'fail' | 'skip',
        overwrite: flags.overwrite,
        verify: flags.verify,
        ...(classes !== undefined && { classes }),
        ...(flags['class-order'] !== undefined && {
          classOrder: flags['class-order'] as 'source' | 'sorted',
        }),
        ...(flags.task !== undefined && { task: flags.task as (typeof YOLO_TASKS)[number] }),
        ...(flags['from-task'] !== undefined && {
          fromTask: flags['from-task'] as (typeof YOLO_TASKS)[number],
        }),
        ...(flags.crowd !== undefined && { crowd: flags.crowd as 'skip' | 'keep' }),
        ...(flags.images !== undefined && {
          images: flags.images as 'link' | 'copy' | 'symlink' | 'none',
        }),
      })
      const n = result.verified?.length
      const verified =
        n === undefined
          ? ''
          : n === 0
            ? 'verified: read back, no difference\n'
            : `verified: read back, ${n} kinds of difference, each accounted for by the report\n`
      process.stdout.write(
        flags.json
          ? `${JSON.stringify(result)}\n`
          : `${formatLossReport(result.report)}\n${verified}`,
      )
    } finally {
      interrupt.dispose()
    }
  }
}
