// YOLO-seg → COCO on W1 derived (5,000 label files + header-only JPEG stubs). Floor: read every
// label file and touch every number, read every image header (4 KiB), write the same COCO file.
import { join } from 'node:path'
import {
  ensureDerived,
  listRecursive,
  readHeaders,
  readMany,
  scanNumbers,
} from './lib/dataset-bench'
import { runConversionBench } from './lib/dataset-conversion-bench'
import { checkSha, ensureW1 } from './lib/dataset-workload'

const sha256 = checkSha('w1', ensureW1().file)
const input = await ensureDerived('yolo', 'link')
const labels = listRecursive(join(input, 'labels'), '.txt')
const images = listRecursive(join(input, 'images'), '.jpg')
await runConversionBench({
  name: 'yolo-to-coco',
  metric: 'wall time, YOLO segment → COCO, W1 derived (5,000 images)',
  workload: 'W1 → YOLO segment (this package) + W3 header-only JPEG stubs',
  sha256,
  options: { from: 'yolo', to: 'coco', input, images: 'none' },
  readFloor: async () => {
    await readMany(labels, (b) => scanNumbers(b.toString('utf8')))
    await readHeaders(images)
  },
  extra: () => ({ labelFiles: labels.length }),
})
