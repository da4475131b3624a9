// Named to run after the W1 benchmarks: its 120,000 files leave the disk busy for a while.
// COCO → YOLO-seg on W2 = W1 ×24 (120,000 images, 882,744 annotations, ≈550 MB: longer than V8's
// maximum string, so only the streaming path can read it). The conversion runs in a child process
// whose peak RSS is recorded. Floor: read the file in 8 MiB chunks, JSON.parse W1's text 24 times
// (the same parsing work), write the same 120,001 output files.

import { constants } from 'node:buffer'
import { execFileSync, execSync } from 'node:child_process'
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { writeBenchResult } from './lib/bench-result'
import { scratch, snapshot, writeFloor } from './lib/dataset-bench'
import { checkSha, ensureW1, ensureW2 } from './lib/dataset-workload'

const w1 = ensureW1().file
const sha256W1 = checkSha('w1', w1)
const input = ensureW2()
const size = statSync(input).size
if (size <= constants.MAX_STRING_LENGTH)
  throw new Error(`W2 is ${size} bytes; it must exceed the string limit`)
const sha256 = checkSha('w2', input)
const dir = scratch('coco-to-yolo-x24')

execSync('sync')
const child = execFileSync(
  process.execPath,
  [
    '--import',
    'tsx',
    join(import.meta.dirname, 'lib', 'dataset-x24-child.ts'),
    input,
    join(dir, 'out'),
  ],
  { encoding: 'utf8', maxBuffer: 1 << 20 },
)
const run = JSON.parse(child.trim().split('\n').pop()!) as {
  ms: number
  maxRssBytes: number
  streamed: boolean
  written: { files: number; bytes: number }
  read: unknown
  losses: string[]
  skipped: number
}
if (!run.streamed) throw new Error('the ×24 conversion did not take the streaming path')

// Floor, in this process after the child is gone.
const files = snapshot(join(dir, 'out'))
execSync('sync')
const t0 = performance.now()
const fd = openSync(input, 'r')
const chunk = Buffer.allocUnsafe(8 << 20)
for (let pos = 0; ; ) {
  const n = readSync(fd, chunk, 0, chunk.length, pos)
  if (n === 0) break
  pos += n
}
closeSync(fd)
const w1Text = readFileSync(w1, 'utf8')
for (let i = 0; i < 24; i++) JSON.parse(w1Text)
await writeFloor(files, join(dir, 'floor'))
const floor = performance.now() - t0
execSync(`rm -rf ${JSON.stringify(dir)} && sync`)

writeBenchResult({
  name: 'dataset-coco-to-yolo-x24',
  metric: 'wall time, COCO → YOLO segment, W2 = W1 ×24 (120,000 images), streaming',
  unit: 'ms',
  value: Math.round(run.ms),
  floor: Math.round(floor),
  ratio: Math.round((floor / run.ms) * 1000) / 1000,
  extra: {
    peakRssBytes: run.maxRssBytes,
    peakRssMiB: Math.round(run.maxRssBytes / 2 ** 20),
    inputBytes: size,
    maxStringLength: constants.MAX_STRING_LENGTH,
    sha256,
    sha256W1,
    outputFiles: run.written.files,
    outputBytes: run.written.bytes,
    read: run.read,
    losses: run.losses,
    skipped: run.skipped,
  },
})
