// DM v2 → YOLO-seg on W1 derived (5,000 DM JSON files + header-only JPEG stubs in
// original_files/). Floor: read + JSON.parse every DM file, read every image header (DM has no
// image size), write the same 5,001 YOLO files.
import { join } from 'node:path'
import { convert } from '../packages/datasets/src/index'
import { writeBenchResult } from './lib/bench-result'
import {
  ensureDerived,
  listRecursive,
  readHeaders,
  readMany,
  scratch,
  snapshot,
  summarize,
  timeBoth,
  writeFloor,
} from './lib/dataset-bench'
import { checkSha, ensureW1 } from './lib/dataset-workload'

const sha256 = checkSha('w1', ensureW1().file)
const input = await ensureDerived('dm_v2', 'link')
const jsons = listRecursive(input, '.json')
const images = listRecursive(input, '.jpg')
const dir = scratch('dm-to-yolo')
const out = join(dir, 'first')
const opts = {
  from: 'dm_v2',
  to: 'yolo',
  input,
  output: out,
  images: 'none',
  task: 'segment',
} as const
const first = await convert(opts)
const files = snapshot(out)
const { disk: t, tmpfs } = await timeBoth(
  'dm-to-yolo',
  5,
  async (dest) => {
    await readMany(jsons, (b) => JSON.parse(b.toString('utf8')))
    await readHeaders(images)
    await writeFloor(files, dest)
  },
  async (dest) => {
    await convert({ ...opts, output: dest })
  },
)
writeBenchResult({
  name: 'dataset-dm-to-yolo',
  metric: 'wall time, DM v2 → YOLO segment, W1 derived (5,000 DM files)',
  unit: 'ms',
  ...summarize(t),
  extra: {
    runs: t,
    tmpfs: tmpfs && { ...summarize(tmpfs), runs: tmpfs },
    workload: 'W1 → DM v2 (this package) + W3 header-only JPEG stubs',
    sha256,
    dmFiles: jsons.length,
    outputBytes: first.report.written.bytes,
    annotationsWritten: first.report.written.annotations,
  },
})
