// COCO → YOLO-seg on W1 (5,000 images, 36,781 annotations). Floor: read + JSON.parse the COCO
// file, write the same 5,001 output files.

import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { convert } from '../packages/datasets/src/index'
import { writeBenchResult } from './lib/bench-result'
import {
  ensureW1WithImages,
  scratch,
  snapshot,
  summarize,
  timeBoth,
  writeFloor,
} from './lib/dataset-bench'

const { file, sha256 } = ensureW1WithImages()
const dir = scratch('coco-to-yolo')
const out = join(dir, 'first')
const first = await convert({
  from: 'coco',
  to: 'yolo',
  input: file,
  output: out,
  task: 'segment',
  images: 'none',
})
const files = snapshot(out)
const { disk: t, tmpfs } = await timeBoth(
  'coco-to-yolo',
  5,
  async (dest) => {
    JSON.parse((await readFile(file)).toString('utf8'))
    await writeFloor(files, dest)
  },
  async (dest) => {
    await convert({
      from: 'coco',
      to: 'yolo',
      input: file,
      output: dest,
      task: 'segment',
      images: 'none',
    })
  },
)
writeBenchResult({
  name: 'dataset-coco-to-yolo',
  metric: 'wall time, COCO → YOLO segment, W1 (5,000 images)',
  unit: 'ms',
  ...summarize(t),
  extra: {
    runs: t,
    tmpfs: tmpfs && { ...summarize(tmpfs), runs: tmpfs },
    workload: 'W1',
    sha256,
    outputFiles: files.length,
    outputBytes: first.report.written.bytes,
    annotationsWritten: first.report.written.annotations,
    losses: first.report.losses.map((l) => `${l.kind} ${l.count} × ${l.subject}`),
  },
})
