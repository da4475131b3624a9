import type { AnyActionDefinition } from '../action/action-definition'
import type { ActionClass } from '../action/base-action'
import type { PluginEnvironment } from '../context/plugin-environment'
import type { Checkpoint } from '../context/runtime-context'
import type { ActionSource } from '../discovery/plugin-discovery'
import type { RunStatus, TerminalRunStatus } from '../enums'
import type { PluginError, SerializedError } from '../errors/plugin-error'
import type { RunEvent } from '../logging/run-event'

/** One run to start: the action, its params, and where it came from for executors elsewhere. */
export interface RunRequest {
  /** The action: its definition, or a `BaseAction` subclass (see `resolveAction`). */
  action: AnyActionDefinition | ActionClass
  params: unknown
  /** How a process other than this one loads the action again (queue workers, Ray jobs). */
  source?: ActionSource
  /** Caller-chosen id: submitting the same id twice starts one run. */
  runId?: string
  env?: PluginEnvironment
  checkpoint?: Checkpoint
  /** The pipeline run this run is a step of. */
  parentRunId?: string
}

/** A run as an executor reports it. */
export interface RunInfo {
  runId: string
  action: string
  status: RunStatus
  createdAt: string
  startedAt?: string
  finishedAt?: string
  error?: SerializedError
}

/**
 * How a run ended. `result` is set when completed (revived to the action's types where the
 * executor has its definition); `error` when failed or cancelled.
 */
export interface RunOutcome {
  runId: string
  status: TerminalRunStatus
  result?: unknown
  error?: PluginError
}

/** How {@link ExecutorProtocol.cancel} stops a run. */
export interface CancelOptions {
  /** How long an action that ignores its signal gets before the run is ended anyway. */
  graceMs?: number
}

/** What `cancel` did. */
export type CancelOutcome = 'cancelled' | 'requested' | 'already-terminal' | 'not-found'

/** How {@link ExecutorProtocol.events} reads a run's events. */
export interface EventsOptions {
  /** Keep the stream open and yield new events until the run ends. */
  follow?: boolean
  /** Only events with `seq` greater than this (resume a stream). */
  afterSeq?: number
  signal?: AbortSignal
}

/** How long {@link ExecutorProtocol.wait} waits, and what stops the waiting. */
export interface WaitOptions {
  /** Give up after this long with `WaitTimeoutError`; the run goes on. */
  timeoutMs?: number
  signal?: AbortSignal
}

/** For `execute`, aborting `signal` cancels the run (for `wait`, it only stops the waiting). */
export interface ExecuteOptions extends WaitOptions {
  /** Called with every event of the run as it happens (progress displays). */
  onEvent?: (event: RunEvent) => void
}

/**
 * The contract every executor keeps, in-process or remote. Params are validated at `submit`:
 * a bad input throws `ValidationError` and nothing runs.
 */
export interface ExecutorProtocol {
  /** The mode it serves (`local`, `task`, `job`…). */
  readonly name: string
  /** Runs and returns the result; throws the run's error (`ExecutionError`, `CancelledError`…). */
  execute(request: RunRequest, options?: ExecuteOptions): Promise<unknown>
  /** Starts a run and returns its id at once. */
  submit(request: RunRequest): Promise<string>
  /** Throws `RunNotFoundError` for an unknown id. */
  status(runId: string): Promise<RunInfo>
  /**
   * The run's events (its logs, progress, metrics, status, result), optionally followed live. An
   * unknown id fails with `RunNotFoundError` on the first iteration, not at the call.
   */
  events(runId: string, options?: EventsOptions): AsyncIterable<RunEvent>
  /**
   * Waits for the run to end. Gives up with `WaitTimeoutError` after `timeoutMs`, or
   * `WaitAbortedError` when `signal` aborts; the run goes on in both cases.
   */
  wait(runId: string, options?: WaitOptions): Promise<RunOutcome>
  /**
   * Asks the run to stop. A run that ignores its signal is stopped (or declared cancelled) after a
   * grace period; `graceMs` shortens it (0: at once, e.g. a second Ctrl-C).
   */
  cancel(runId: string, options?: CancelOptions): Promise<CancelOutcome>
  /**
   * Stops taking runs and releases what the executor holds (connections, timers), after what must
   * be flushed is stored. Runs still going are cancelled. `submit` and `execute` after close fail
   * with `EXECUTOR_CLOSED`; reads (`status`, `events`, `wait`) may keep answering.
   */
  close(): Promise<void>
}

/** A request whose action is a definition (see `resolveRequest`). */
export type ResolvedRunRequest = RunRequest & { action: AnyActionDefinition }
