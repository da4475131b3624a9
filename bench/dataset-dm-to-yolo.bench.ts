// DM v2 → YOLO-seg on W1 derived (5,000 DM JSON files + header-only JPEG stubs in
// original_files/). Floor: read + JSON.parse every DM file, read every image header (DM has no
// image size), write the same 5,001 YOLO files.
import { ensureDerived, listRecursive, readHeaders, readMany } from './lib/dataset-bench'
import { runConversionBench } from './lib/dataset-conversion-bench'
import { checkSha, ensureW1 } from './lib/dataset-workload'

const sha256 = checkSha('w1', ensureW1().file)
const input = await ensureDerived('dm_v2', 'link')
const jsons = listRecursive(input, '.json')
const images = listRecursive(input, '.jpg')
await runConversionBench({
  name: 'dm-to-yolo',
  metric: 'wall time, DM v2 → YOLO segment, W1 derived (5,000 DM files)',
  workload: 'W1 → DM v2 (this package) + W3 header-only JPEG stubs',
  sha256,
  options: { from: 'dm_v2', to: 'yolo', input, images: 'none', task: 'segment' },
  readFloor: async () => {
    await readMany(jsons, (b) => JSON.parse(b.toString('utf8')))
    await readHeaders(images)
  },
  extra: () => ({ dmFiles: jsons.length }),
})
