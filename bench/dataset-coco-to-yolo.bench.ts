// COCO → YOLO-seg on W1 (5,000 images, 36,781 annotations). Floor: read + JSON.parse the COCO
// file, write the same 5,001 output files.
import { readFile } from 'node:fs/promises'
import { ensureW1WithImages } from './lib/dataset-bench'
import { runConversionBench } from './lib/dataset-conversion-bench'

const { file, sha256 } = ensureW1WithImages()
await runConversionBench({
  name: 'coco-to-yolo',
  metric: 'wall time, COCO → YOLO segment, W1 (5,000 images)',
  workload: 'W1',
  sha256,
  options: { from: 'coco', to: 'yolo', input: file, task: 'segment', images: 'none' },
  readFloor: async () => {
    JSON.parse((await readFile(file)).toString('utf8'))
  },
  extra: (first) => ({
    losses: first.report.losses.map((l) => `${l.kind} ${l.count} × ${l.subject}`),
  }),
})
