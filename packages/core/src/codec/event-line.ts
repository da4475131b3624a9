import { PluginError } from '../errors/plugin-error'
import type { RunEvent } from '../logging/run-event'
import { RunEventSchema } from '../logging/run-event-schema'

/**
 * Starts every event line, so events can share stdout with whatever else a program prints
 * (a library's warnings, a plugin's `console.log`): a line is an event only if it starts so.
 */
export const EVENT_LINE_MARKER = '\u001e@synapse/event '

/** One event as one line (no newline inside: JSON escapes them), newline included. */
export function encodeEventLine(event: RunEvent): string {
  return `${EVENT_LINE_MARKER}${JSON.stringify(event)}\n`
}

/**
 * The event on a line, or `undefined` for a line that is not an event (a program's own output).
 * A line that carries the marker but no valid event fails with `EVENT_INVALID`: a truncated or
 * corrupted event must not pass as output.
 */
export function decodeEventLine(line: string): RunEvent | undefined {
  const text = line.endsWith('\n') ? line.slice(0, line.endsWith('\r\n') ? -2 : -1) : line
  if (!text.startsWith(EVENT_LINE_MARKER)) return undefined
  let value: unknown
  try {
    value = JSON.parse(text.slice(EVENT_LINE_MARKER.length))
  } catch (cause) {
    throw new PluginError(`Event line is not valid JSON: ${preview(text)}`, {
      code: 'EVENT_INVALID',
      cause,
    })
  }
  const parsed = RunEventSchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new PluginError(
      `Event line is not a valid event (${issue?.path.join('.') || '(root)'}: ${issue?.message}): ${preview(text)}`,
      { code: 'EVENT_INVALID', details: { issues: parsed.error.issues.map((i) => i.message) } },
    )
  }
  return parsed.data
}

/** What a stream of output holds: events, and the lines around them that are not events. */
export type DecodedLine = { event: RunEvent } | { output: string }

/**
 * Splits a byte or text stream into lines and decodes each, across chunk boundaries. Feed it
 * chunks as they come and call `end()` once the stream closes.
 *
 * @example
 * const decoder = new EventLineDecoder()
 * child.stdout.on('data', (chunk) => { for (const item of decoder.push(chunk)) handle(item) })
 * child.stdout.on('end', () => { for (const item of decoder.end()) handle(item) })
 */
export class EventLineDecoder {
  readonly #text = new TextDecoder()
  #partial = ''

  push(chunk: string | Uint8Array): DecodedLine[] {
    this.#partial += typeof chunk === 'string' ? chunk : this.#text.decode(chunk, { stream: true })
    const lines = this.#partial.split('\n')
    this.#partial = lines.pop() ?? ''
    return lines.map(decodeOne)
  }

  /** Whatever is left after the last newline (a program that ended without one). */
  end(): DecodedLine[] {
    const rest = this.#partial + this.#text.decode()
    this.#partial = ''
    return rest === '' ? [] : [decodeOne(rest)]
  }
}

function decodeOne(line: string): DecodedLine {
  const event = decodeEventLine(line)
  return event === undefined
    ? { output: line.endsWith('\r') ? line.slice(0, -1) : line }
    : { event }
}

function preview(text: string): string {
  const body = text.slice(EVENT_LINE_MARKER.length)
  return body.length > 120 ? `${body.slice(0, 117)}...` : body
}
