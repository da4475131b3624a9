// VOC → COCO on W1 derived (5,000 XML files, sizes in the files, no images). Floor: read every
// XML file and parse every element's text as a number, write the same COCO file.
import { join } from 'node:path'
import { ensureDerived, listRecursive, readMany, scanXmlValues } from './lib/dataset-bench'
import { runConversionBench } from './lib/dataset-conversion-bench'
import { checkSha, ensureW1 } from './lib/dataset-workload'

const sha256 = checkSha('w1', ensureW1().file)
const input = await ensureDerived('voc', 'none')
const xmls = listRecursive(join(input, 'Annotations'), '.xml')
await runConversionBench({
  name: 'voc-to-coco',
  metric: 'wall time, Pascal VOC → COCO, W1 derived (5,000 XML files)',
  workload: 'W1 → VOC (this package)',
  sha256,
  options: { from: 'voc', to: 'coco', input, images: 'none' },
  readFloor: () => readMany(xmls, (b) => scanXmlValues(b.toString('utf8'))),
  extra: () => ({ xmlFiles: xmls.length }),
})
