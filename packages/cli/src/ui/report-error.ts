import { type ErrorKind, errorKindOf, PluginError, type SerializedError } from '@synapse/core'

/**
 * Exit codes: 1 the run failed (or a strict conversion would lose data), 2 bad input (params,
 * config, unknown action, malformed dataset), 130 cancelled.
 */
export const EXIT = { FAILED: 1, USAGE: 2, CANCELLED: 130 } as const

const EXIT_BY_KIND: Record<ErrorKind, number> = {
  input: EXIT.USAGE,
  failure: EXIT.FAILED,
  cancelled: EXIT.CANCELLED,
}

/** The exit code for an error, derived from its code's kind (see core's `ERROR_CODES`). */
export function exitCodeFor(error: unknown): number {
  return PluginError.is(error) ? EXIT_BY_KIND[errorKindOf(error.code)] : EXIT.FAILED
}

/** The message a person reads: the error, its code, and the chain of causes. */
export function describeError(error: unknown, options: { stack?: boolean } = {}): string {
  const lines: string[] = []
  const code = PluginError.is(error) ? ` [${error.code}]` : ''
  const message = error instanceof Error ? error.message : String(error)
  lines.push(`Error${code}: ${message}`)
  let cause = error instanceof Error ? error.cause : undefined
  for (let depth = 0; cause !== undefined && depth < 8; depth++) {
    const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)
    // The wrapper usually repeats the cause's message; say it once.
    if (!message.includes(cause instanceof Error ? cause.message : String(cause))) {
      lines.push(`  caused by ${text}`)
    }
    if (options.stack && cause instanceof Error && cause.stack) lines.push(cause.stack)
    cause = cause instanceof Error ? cause.cause : undefined
  }
  if (options.stack && error instanceof Error && error.stack) lines.push(error.stack)
  return lines.join('\n')
}

/** {@link describeError} for an error as a run store or an event keeps it. */
export function describeSerializedError(error: SerializedError): string {
  return describeError(PluginError.fromJSON(error))
}
