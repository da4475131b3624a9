import { parseDocument } from 'yaml'
import { DatasetError } from '../errors'
import { lineColumnAt } from './text-location'

/** Parses YAML; a syntax error names the file, line and column. */
export function parseYaml(text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true })
  const error = doc.errors[0]
  if (error !== undefined) {
    const { line, column } = lineColumnAt(text, error.pos[0])
    throw new DatasetError('DATASET_PARSE_ERROR', `invalid YAML: ${error.message.split('\n')[0]}`, {
      file,
      line,
      column,
      cause: error,
    })
  }
  try {
    return doc.toJS({ maxAliasCount: 100 })
  } catch (cause) {
    // Alias bombs and the like surface only when the document is built.
    throw new DatasetError('DATASET_PARSE_ERROR', `invalid YAML: ${(cause as Error).message}`, {
      file,
      cause,
    })
  }
}
