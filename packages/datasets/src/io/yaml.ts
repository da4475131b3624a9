import { parseDocument } from 'yaml'
import { DatasetError } from '../errors'

/** Parses YAML; a syntax error names the file, line and column. */
export function parseYaml(text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true })
  const error = doc.errors[0]
  if (error !== undefined) {
    const pos = error.linePos?.[0]
    throw new DatasetError('DATASET_PARSE_ERROR', `invalid YAML: ${error.message.split('\n')[0]}`, {
      file,
      line: pos?.line,
      column: pos?.col,
      cause: error,
    })
  }
  return doc.toJS({ maxAliasCount: 100 })
}
