// Runs one streaming COCO → YOLO conversion in a process of its own, so its peak RSS is the
// conversion's alone, and prints {ms, maxRssBytes, report} as JSON on stdout.
import { convert } from '@synapse/datasets'

const [input, output] = process.argv.slice(2)
if (input === undefined || output === undefined)
  throw new Error('usage: dataset-x24-child INPUT OUTPUT')
const start = performance.now()
const result = await convert({
  from: 'coco',
  to: 'yolo',
  input,
  output,
  task: 'segment',
  images: 'none',
})
const ms = performance.now() - start
const r = result.report
process.stdout.write(
  `${JSON.stringify({
    ms,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    streamed: result.streamed,
    read: r.read,
    written: r.written,
    losses: r.losses.map((l) => `${l.kind} ${l.count} × ${l.subject}`),
    skipped: r.skipped.count,
  })}\n`,
)
