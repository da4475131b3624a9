import { AsyncLocalStorage } from 'node:async_hooks'

/** What a crash inside a run is handed to: the run, which fails with it. */
export interface CrashScope {
  /** Fails the run with the crash; false when the run has already ended. */
  fail(error: unknown, kind: CrashKind): boolean
}

/** How the crash reached the process. */
export type CrashKind = 'uncaughtException' | 'unhandledRejection'

const scopes = new AsyncLocalStorage<CrashScope>()
let guarded = 0

/**
 * Runs `fn` so that an exception thrown from a timer or callback it started, or a promise it
 * rejected and never handled, fails its own run instead of the process. Node keeps the async
 * context of whatever threw, so the crash is traced to the run that caused it even with several
 * runs at once. The process handlers are installed while a guarded run is going, and removed
 * after; a crash traced to no run is reported and ends the process, as Node would.
 */
export function runGuarded<T>(scope: CrashScope, fn: () => T): T {
  if (guarded++ === 0) {
    process.on('uncaughtException', onUncaught)
    process.on('unhandledRejection', onUnhandled)
  }
  return scopes.run(scope, fn)
}

/** Ends one guarded run; the handlers go with the last. */
export function releaseGuard(): void {
  if (guarded === 0) return
  if (--guarded === 0) {
    process.off('uncaughtException', onUncaught)
    process.off('unhandledRejection', onUnhandled)
  }
}

function onUncaught(error: unknown): void {
  handle(error, 'uncaughtException')
}

function onUnhandled(reason: unknown): void {
  handle(reason, 'unhandledRejection')
}

function handle(error: unknown, kind: CrashKind): void {
  if (scopes.getStore()?.fail(error, kind) === true) return
  // Another listener owns what is not ours; with none, do what Node does without us.
  if (process.listenerCount(kind) > 1) return
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error)
  process.stderr.write(`${text}\n`)
  process.exit(1)
}
