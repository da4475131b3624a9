import { readFileSync } from 'node:fs'
import { Flags } from '@oclif/core'
import { RunLogger } from '@synapse/core'
import type { ReadOptions } from '@synapse/datasets'
import { ProgressDisplay } from '../../ui/progress-display'

/** Flags every dataset command reads with. */
export const readFlags = {
  from: Flags.string({
    char: 'f',
    description: 'Input format: coco, yolo, voc (pascal), dm_v1, dm_v2 (dm)',
    required: true,
  }),
  'voc-origin': Flags.string({
    description: 'VOC pixel origin: 0 (tools, default) or 1 (VOC devkit: xmin/ymin start at 1)',
    options: ['0', '1'],
    default: '0',
  }),
  exif: Flags.string({
    description: 'EXIF orientation when sizes come from image headers',
    options: ['apply', 'ignore'],
    default: 'apply',
  }),
  json: Flags.boolean({ description: 'Print the result as JSON on stdout' }),
  quiet: Flags.boolean({ char: 'q', description: 'No progress on stderr' }),
  debug: Flags.boolean({ description: 'Show stack traces on errors' }),
}

export const YOLO_TASKS = ['detect', 'segment', 'pose', 'obb'] as const

/** The read options the flags describe, with progress shown on stderr unless quiet. */
export function readOptionsFrom(
  flags: { from: string; 'voc-origin': string; exif: string; quiet: boolean },
  input: string,
  signal: AbortSignal,
): ReadOptions {
  return {
    from: flags.from as ReadOptions['from'],
    input,
    vocOrigin: flags['voc-origin'] === '1' ? 1 : 0,
    exif: flags.exif as 'apply' | 'ignore',
    signal,
    ...(flags.quiet ? {} : { onProgress: progressOnStderr() }),
  }
}

/**
 * Dataset progress drawn like a run's: phases become categories with percent and ETA. The
 * library reports often; the logger throttles nothing, so only whole-percent changes are passed.
 */
function progressOnStderr(): (done: number, total: number, phase: string) => void {
  const display = new ProgressDisplay(process.stderr)
  const logger = new RunLogger({ runId: 'dataset', sinks: [{ write: (e) => display.handle(e) }] })
  const last = new Map<string, number>()
  return (done, total, phase) => {
    if (total <= 0) return
    const step = Math.floor((done / total) * 100)
    if (last.get(phase) === step && done !== total) return
    last.set(phase, step)
    logger.setProgress(Math.min(done, total), total, phase)
  }
}

/** `--classes a,b,c` or `--classes @classes.txt` (one name per line). */
export function readClassList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined
  const text = value.startsWith('@') ? readFileSync(value.slice(1), 'utf8') : value
  const separator = value.startsWith('@') ? /\r?\n/ : ','
  return text
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

/** An AbortSignal that fires on Ctrl-C, so a long conversion stops and leaves nothing behind. */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController()
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130)
    process.stderr.write('\nStopping… (Ctrl-C again to quit now)\n')
    controller.abort()
  }
  process.on('SIGINT', onSigint)
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) }
}
