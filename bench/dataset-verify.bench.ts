// What `verify` costs: VOC → COCO on W1 derived with verify against the same conversion
// without it (the "floor" here), interleaved. The difference is reading the COCO output back
// and diffing 36k annotations; ratio = time without / time with.
import { join } from 'node:path'
import { convert } from '@synapse/datasets'
import { writeBenchResult } from './lib/bench-result'
import { ensureDerived, scratch, summarize, timeBoth } from './lib/dataset-bench'
import { checkSha, ensureW1 } from './lib/dataset-workload'

const sha256 = checkSha('w1', ensureW1().file)
const input = await ensureDerived('voc', 'none')
const options = { from: 'voc', to: 'coco', input, images: 'none' } as const
const first = await convert({ ...options, output: join(scratch('verify'), 'first'), verify: true })
const { disk, tmpfs } = await timeBoth(
  'verify',
  9,
  async (dest) => {
    await convert({ ...options, output: dest })
  },
  async (dest) => {
    await convert({ ...options, output: dest, verify: true })
  },
)
writeBenchResult({
  name: 'dataset-verify',
  metric: 'wall time, VOC → COCO with verify (floor: the same conversion without it), W1 derived',
  unit: 'ms',
  ...summarize(disk),
  extra: {
    runs: disk,
    tmpfs: tmpfs && { ...summarize(tmpfs), runs: tmpfs },
    workload: 'W1 → VOC (this package)',
    sha256,
    differences: first.verified?.map((c) => `${c.count} × ${c.subject}`),
  },
})
