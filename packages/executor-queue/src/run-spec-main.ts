#!/usr/bin/env node
// One run in one process: `node run-spec-main.js [spec.json|-]` reads a run spec (stdin by
// default) and writes the run's events as encoded lines on stdout. Job-mode workers start it per
// run; SYNAPSE_CANCEL_GRACE_MS sets how long SIGTERM waits for the action to stop.
import { readSpecText, runSpecProcess } from './run-spec-entry'

const grace = Number(process.env['SYNAPSE_CANCEL_GRACE_MS'])
const code = await runSpecProcess({
  specText: readSpecText(process.argv.slice(2)),
  ...(Number.isFinite(grace) && grace >= 0 && { cancelGraceMs: grace }),
})
if (code === 130) {
  // Cancelled: an action that ignored its signal may still be running; it gets to finish (its
  // result is discarded) until whoever started this process kills it.
  process.exitCode = code
} else {
  // Exit once stdout has drained, even if the action left timers or sockets behind.
  process.stdout.write('', () => process.exit(code))
}
