import { readFileSync } from 'node:fs'
import {
  encodeEventLine,
  loadRunSpec,
  PluginError,
  type RunEvent,
  serializeError,
} from '@synapse/core'
import { LocalExecutor } from '@synapse/executor-local'

/** How {@link runSpecProcess} is told about the run. */
export interface RunSpecProcessOptions {
  /** The spec as JSON text (what `node run-spec-main.js` reads from stdin or a file). */
  specText: string
  /** How long the action gets to stop after SIGTERM before it is declared cancelled. */
  cancelGraceMs?: number
  /** Where event lines go; default stdout. */
  write?: (line: string) => void
}

/**
 * Runs one run spec in this process and writes every event of it as an encoded line (see
 * `encodeEventLine`): the body of a job-mode child, and of any engine that starts a process per
 * run (queue workers, Ray jobs). It knows nothing of the engine. SIGTERM cancels the run (the
 * action sees its signal; one that ignores it is declared cancelled after the grace). A spec that
 * cannot run (invalid, unknown action, params failing validation) still ends with an error event
 * and a failed status, so the reader always learns why. Resolves to the exit code: 0 completed,
 * 1 failed, 130 cancelled.
 */
export async function runSpecProcess(options: RunSpecProcessOptions): Promise<number> {
  const write = options.write ?? ((line: string) => process.stdout.write(line))
  const sink = { write: (event: RunEvent) => write(encodeEventLine(event)) }
  let runId = 'unknown'
  try {
    const raw = JSON.parse(options.specText) as { runId?: unknown }
    if (typeof raw.runId === 'string') runId = raw.runId
    const request = await loadRunSpec(raw)
    const executor = new LocalExecutor({
      sinks: () => [sink],
      ...(options.cancelGraceMs !== undefined && { cancelGraceMs: options.cancelGraceMs }),
    })
    const onTerm = () => void executor.cancel(request.runId)
    process.on('SIGTERM', onTerm)
    try {
      await executor.submit(request)
      const outcome = await executor.wait(request.runId)
      return outcome.status === 'completed' ? 0 : outcome.status === 'cancelled' ? 130 : 1
    } finally {
      process.off('SIGTERM', onTerm)
    }
  } catch (error) {
    // Nothing ran: say why the way a run does, so the reader gets a typed error, not a stack.
    const time = new Date().toISOString()
    const failure = PluginError.from(error)
    write(encodeEventLine({ runId, seq: 1, time, type: 'error', error: serializeError(failure) }))
    write(encodeEventLine({ runId, seq: 2, time, type: 'status', status: 'failed' }))
    return 1
  }
}

/** The spec text from the file named by the first argument, or from stdin. */
export function readSpecText(argv: readonly string[]): string {
  const file = argv[0]
  return readFileSync(file === undefined || file === '-' ? 0 : file, 'utf8')
}
