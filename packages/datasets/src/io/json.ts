import { DatasetError } from '../errors'
import { lineColumnAt } from './text-location'

/**
 * `JSON.parse` that names the file, line and column of a syntax error. V8's message carries the
 * character position; truncated files fail at the end of the text.
 */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text)
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause)
    const match = /position (\d+)/.exec(message)
    const offset = match ? Number(match[1]) : text.length
    const { line, column } = lineColumnAt(text, offset)
    const reason = message
      .replace(/^SyntaxError: /, '')
      .replace(/, "[\s\S]*" is not valid JSON$/, '')
    throw new DatasetError('DATASET_PARSE_ERROR', `invalid JSON: ${reason}`, {
      file,
      line,
      column,
      cause,
    })
  }
}
