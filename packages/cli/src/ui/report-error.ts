import { PluginError } from '@synapse/core'

/**
 * Exit codes: 1 the run failed (or a strict conversion would lose data), 2 bad input (params,
 * config, unknown action, malformed dataset), 130 cancelled.
 */
export const EXIT = { FAILED: 1, USAGE: 2, CANCELLED: 130 } as const

const USAGE_CODES = new Set([
  'VALIDATION_ERROR',
  'INVALID_PARAMS',
  'PARAMS_NOT_JSON',
  'PARAMS_NOT_OBJECT',
  'PARAMS_FILE_UNREADABLE',
  'INVALID_ENV_FLAG',
  'CONFIG_INVALID',
  'CONFIG_NOT_FOUND',
  'ACTION_NOT_FOUND',
  'UNKNOWN_MODE',
  'MISSING_ENTRYPOINT',
  'INVALID_ENTRYPOINT',
  'MODULE_NOT_FOUND',
  'EXPORT_NOT_FOUND',
  // Dataset input that is malformed or contradicts itself is bad input too.
  'DATASET_PARSE_ERROR',
  'DATASET_SCHEMA_ERROR',
  'DATASET_REFERENCE_ERROR',
  'DATASET_RANGE_ERROR',
  'DATASET_LAYOUT_ERROR',
  'DATASET_OPTION_ERROR',
])

/** The exit code for an error. */
export function exitCodeFor(error: unknown): number {
  if (!PluginError.is(error)) return EXIT.FAILED
  if (error.code === 'RUN_CANCELLED') return EXIT.CANCELLED
  return USAGE_CODES.has(error.code) ? EXIT.USAGE : EXIT.FAILED
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
