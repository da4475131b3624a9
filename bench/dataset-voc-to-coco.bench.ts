// VOC → COCO on W1 derived (5,000 XML files, sizes in the files, no images). Floor: read every
// XML file and touch every tag, write the same COCO file.
import { join } from 'node:path'
import { convert } from '../packages/datasets/src/index'
import { writeBenchResult } from './lib/bench-result'
import {
  ensureDerived,
  listRecursive,
  readMany,
  scanTags,
  scratch,
  snapshot,
  summarize,
  timeBoth,
  writeFloor,
} from './lib/dataset-bench'
import { checkSha, ensureW1 } from './lib/dataset-workload'

const sha256 = checkSha('w1', ensureW1().file)
const input = await ensureDerived('voc', 'none')
const xmls = listRecursive(join(input, 'Annotations'), '.xml')
const dir = scratch('voc-to-coco')
const out = join(dir, 'first')
const first = await convert({ from: 'voc', to: 'coco', input, output: out, images: 'none' })
const files = snapshot(out)
const { disk: t, tmpfs } = await timeBoth(
  'voc-to-coco',
  5,
  async (dest) => {
    await readMany(xmls, (b) => scanTags(b.toString('utf8')))
    await writeFloor(files, dest)
  },
  async (dest) => {
    await convert({ from: 'voc', to: 'coco', input, output: dest, images: 'none' })
  },
)
writeBenchResult({
  name: 'dataset-voc-to-coco',
  metric: 'wall time, Pascal VOC → COCO, W1 derived (5,000 XML files)',
  unit: 'ms',
  ...summarize(t),
  extra: {
    runs: t,
    tmpfs: tmpfs && { ...summarize(tmpfs), runs: tmpfs },
    workload: 'W1 → VOC (this package)',
    sha256,
    xmlFiles: xmls.length,
    outputBytes: first.report.written.bytes,
    annotationsRead: first.report.read.annotations,
  },
})
