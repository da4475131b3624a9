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

/**
 * The message a person reads, once: each link of the chain by its class name and code, its
 * message where the link above did not already say it, and stack traces only when asked.
 *
 * @example
 * // ExecutionError [EXECUTION_FAILED]: Action 'load' failed: shard 3 is truncated
 * //   caused by DatasetCorruptError [DATASET_CORRUPT]
 * //   caused by Error [ERR_OUT_OF_RANGE]: offset 4096 is past the end
 */
export function describeError(error: unknown, options: { stack?: boolean } = {}): string {
  const lines: string[] = []
  let parentMessage: string | undefined
  let link: unknown = error
  for (let depth = 0; link !== undefined && link !== null && depth < 16; depth++) {
    const message = link instanceof Error ? link.message : String(link)
    const head = `${nameOf(link)}${codeOf(link)}`
    // A wrapper usually repeats its cause's message; the cause is still named, not dropped.
    const said = parentMessage !== undefined && message !== '' && parentMessage.includes(message)
    const text = said || message === '' ? head : `${head}: ${message}`
    lines.push(depth === 0 ? text : `  caused by ${text}`)
    if (options.stack && link instanceof Error && link.stack) lines.push(indent(stackFrames(link)))
    parentMessage = message
    link = link instanceof Error ? link.cause : undefined
  }
  return lines.join('\n')
}

function nameOf(value: unknown): string {
  if (value instanceof Error) return value.name || 'Error'
  return typeof value === 'object' && value !== null ? 'Object' : typeof value
}

function codeOf(value: unknown): string {
  const code = (value as { code?: unknown } | null)?.code
  return typeof code === 'string' ? ` [${code}]` : ''
}

/** The frames of a stack, without the first line (the message is printed already). */
function stackFrames(error: Error): string {
  const stack = error.stack ?? ''
  const at = stack.indexOf('\n    at ')
  return at === -1 ? stack : stack.slice(at + 1)
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line.trimStart()}`)
    .join('\n')
}

/** {@link describeError} for an error as a run store or an event keeps it. */
export function describeSerializedError(error: SerializedError): string {
  return describeError(PluginError.fromJSON(error))
}
