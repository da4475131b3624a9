// YOLO-seg → COCO on W1 derived (5,000 label files + header-only JPEG stubs). Floor: read every
// label file and touch every number, read every image header (4 KiB), write the same COCO file.
import { join } from 'node:path'
import { convert } from '../packages/datasets/src/index'
import { writeBenchResult } from './lib/bench-result'
import {
  ensureDerived,
  listRecursive,
  readHeaders,
  readMany,
  scanNumbers,
  scratch,
  snapshot,
  summarize,
  timeBoth,
  writeFloor,
} from './lib/dataset-bench'
import { checkSha, ensureW1 } from './lib/dataset-workload'

const sha256 = checkSha('w1', ensureW1().file)
const input = await ensureDerived('yolo', 'link')
const labels = listRecursive(join(input, 'labels'), '.txt')
const images = listRecursive(join(input, 'images'), '.jpg')
const dir = scratch('yolo-to-coco')
const out = join(dir, 'first')
const first = await convert({ from: 'yolo', to: 'coco', input, output: out, images: 'none' })
const files = snapshot(out)
const { disk: t, tmpfs } = await timeBoth(
  'yolo-to-coco',
  5,
  async (dest) => {
    await readMany(labels, (b) => scanNumbers(b.toString('utf8')))
    await readHeaders(images)
    await writeFloor(files, dest)
  },
  async (dest) => {
    await convert({ from: 'yolo', to: 'coco', input, output: dest, images: 'none' })
  },
)
writeBenchResult({
  name: 'dataset-yolo-to-coco',
  metric: 'wall time, YOLO segment → COCO, W1 derived (5,000 images)',
  unit: 'ms',
  ...summarize(t),
  extra: {
    runs: t,
    tmpfs: tmpfs && { ...summarize(tmpfs), runs: tmpfs },
    workload: 'W1 → YOLO segment (this package) + W3 header-only JPEG stubs',
    sha256,
    labelFiles: labels.length,
    outputBytes: first.report.written.bytes,
    annotationsRead: first.report.read.annotations,
  },
})
