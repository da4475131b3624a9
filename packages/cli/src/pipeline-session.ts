import {
  type ExecutorRegistry,
  outcomeError,
  type RunOutcome,
  type RunStore,
  toJsonValue,
} from '@synapse/core'
import { registerDatasetAdapters } from '@synapse/datasets'
import {
  type ActionPipeline,
  buildPipeline,
  emptyPipelineState,
  loadPipelineFile,
  type PipelineDefinition,
  type PipelineDiagnostic,
} from '@synapse/pipelines'
import { createExecutors } from './executors'
import { readParams } from './ui/params-input'
import { PipelineDisplay, PipelineView } from './ui/pipeline-display'
import { EXIT } from './ui/report-error'
import { guardStdout } from './ui/stdout-guard'
import { formatDuration } from './ui/table'

/** A pipeline built from its file, and the params it starts with. */
export interface OpenedPipeline {
  pipeline: ActionPipeline
  definition: PipelineDefinition
  params: Record<string, unknown>
}

/**
 * Reads a pipeline file and builds its pipeline, the file's params overlaid with `--params`.
 * @synapse/datasets' converters are registered first, so `insert_converters` can bridge two
 * dataset types. Diagnostics worth a person's eye go to stderr unless `quiet`.
 */
export async function openPipelineFile(
  file: string,
  paramsFlag: string | undefined,
  options: { quiet?: boolean; onDiagnostic?: (d: PipelineDiagnostic) => void } = {},
): Promise<OpenedPipeline> {
  registerDatasetAdapters()
  const { definition, at } = loadPipelineFile(file)
  const params = { ...definition.params, ...(await readParams(paramsFlag)) }
  const pipeline = await buildPipeline(definition, {
    at,
    params,
    onDiagnostic: options.onDiagnostic ?? ((d) => reportDiagnostic(d, options.quiet ?? false)),
  })
  return { pipeline, definition, params }
}

/** Builds the pipeline a stored run was started from, for `resume`. */
export async function rebuildPipeline(
  definition: PipelineDefinition,
  params: Record<string, unknown>,
  quiet: boolean,
): Promise<ActionPipeline> {
  registerDatasetAdapters()
  return buildPipeline(definition, { params, onDiagnostic: (d) => reportDiagnostic(d, quiet) })
}

/** Warnings and inserted converters are worth a line on stderr; other news is for `plan`. */
function reportDiagnostic(d: PipelineDiagnostic, quiet: boolean): void {
  if (quiet) return
  if (d.severity === 'warning' || d.code === 'CONVERTER_INSERTED') {
    process.stderr.write(`${d.severity}: ${d.message}\n`)
  }
}

/** How `run` and `resume` show a pipeline run and report how it ended. */
export interface SessionOptions {
  store: RunStore
  quiet: boolean
  json: boolean
  /** Starts (or resumes) the run on the executor; resolves to its id. */
  start: (executors: ExecutorRegistry) => Promise<string>
  pipeline: ActionPipeline
}

/**
 * Starts the run, shows it live (one line per step) and prints its outcome: the result on
 * stdout (with `--json`, `{ runId, status, result | error }`), the run id on stderr so a failed
 * or cancelled run can be resumed. Ctrl-C cancels the run; a second one leaves at once. A run
 * that did not complete throws its error, so the exit code follows its kind.
 */
export async function runPipelineSession(options: SessionOptions): Promise<void> {
  const { store, pipeline, quiet, json } = options
  const releaseStdout = guardStdout()
  const executors = await createExecutors({ store })
  let outcome: RunOutcome
  let runId: string
  const began = performance.now()
  try {
    runId = await options.start(executors)
    if (!quiet) process.stderr.write(`pipeline run ${runId}\n`)
    outcome = await follow(pipeline, store, runId, quiet)
  } finally {
    releaseStdout()
    await executors.close()
  }
  const took = formatDuration(performance.now() - began)
  if (json) {
    const body =
      outcome.status === 'completed'
        ? { runId, status: outcome.status, result: toJsonValue(outcome.result ?? null) }
        : { runId, status: outcome.status, error: outcome.error?.toJSON() }
    process.stdout.write(`${JSON.stringify(body)}\n`)
  }
  if (outcome.status !== 'completed') {
    if (!quiet) {
      process.stderr.write(
        `pipeline run ${runId} ${outcome.status} after ${took}; continue it with: synapse pipeline resume ${runId}\n`,
      )
    }
    throw outcomeError(outcome)
  }
  if (!quiet) process.stderr.write(`pipeline run ${runId} completed in ${took}\n`)
  if (!json) {
    process.stdout.write(`${JSON.stringify(toJsonValue(outcome.result ?? null), null, 2)}\n`)
  }
}

async function follow(
  pipeline: ActionPipeline,
  store: RunStore,
  runId: string,
  quiet: boolean,
): Promise<RunOutcome> {
  // First Ctrl-C: cancel the run (its completed steps are kept for resume). Second: leave now.
  let interrupts = 0
  const onSigint = () => {
    interrupts++
    if (interrupts === 1) {
      const note = 'Cancelling… (Ctrl-C again to quit without waiting)'
      if (display === undefined) process.stderr.write(`\n${note}\n`)
      else display.note(note)
      void pipeline.cancel(runId)
    } else process.exit(EXIT.CANCELLED)
  }
  process.on('SIGINT', onSigint)
  const stop = new AbortController()
  let display: PipelineDisplay | undefined
  let watching: Promise<void> | undefined
  if (!quiet) {
    const record = await store.getRun(runId)
    if (record !== undefined) {
      const view = new PipelineView(emptyPipelineState(record))
      watching = (async () => {
        // What is stored already (an earlier attempt's steps, its terminal status), read once;
        // then this attempt's events as they come.
        let seq = 0
        for await (const event of store.readEvents(runId, { signal: stop.signal })) {
          view.apply(event)
          seq = event.seq
        }
        display = new PipelineDisplay(view, process.stderr)
        for await (const event of store.readEvents(runId, {
          follow: true,
          afterSeq: seq,
          signal: stop.signal,
        })) {
          display.handle(event)
        }
      })().catch(() => {
        // The display is a courtesy: the outcome below says how the run ended.
      })
    }
  }
  try {
    const outcome = await pipeline.wait(runId, { store })
    // The display's follower ends at the run's terminal status; give it the last events.
    await Promise.race([watching, new Promise((resolve) => setTimeout(resolve, 1000).unref())])
    return outcome
  } finally {
    stop.abort()
    display?.end()
    process.off('SIGINT', onSigint)
  }
}
