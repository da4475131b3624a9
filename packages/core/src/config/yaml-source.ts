import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml'
import { ConfigError, type ValidationIssue } from '../errors/errors'

/**
 * A YAML file parsed with its positions kept, so that a problem found later in the value (a
 * schema issue at a key path) can be reported at the `file:line:col` it came from.
 */
export interface YamlSource {
  /** The path used in locations. */
  path: string
  /** The document as plain JavaScript (`null` for an empty file). */
  value: unknown
  /** `file:line:col` of a key path: see {@link YamlSource.locate}. */
  at(path: readonly (string | number)[]): string
  /**
   * The same issues, each given the `location` of its path: the value when it exists, else the
   * key of the deepest parent that does, so a missing key points at the mapping it belongs in.
   */
  locate(issues: readonly ValidationIssue[]): ValidationIssue[]
}

/**
 * Parses YAML text, keeping positions. Syntax errors (and duplicate keys) throw `ConfigError`
 * (code `CONFIG_INVALID` unless `code` says otherwise) with one issue per error, each at the
 * offending character.
 */
export function parseYamlSource(
  text: string,
  path: string,
  options: { code?: string; what?: string } = {},
): YamlSource {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })
  const atOffset = (offset: number): string => {
    const { line, col } = lines.linePos(offset)
    return `${path}:${line}:${col}`
  }
  if (doc.errors.length > 0) {
    const issues: ValidationIssue[] = doc.errors.map((e) => ({
      path: [],
      message: e.message.split('\n')[0] ?? e.message,
      code: e.code,
      location: atOffset(e.pos[0]),
    }))
    throw new ConfigError(`Invalid YAML in ${options.what ?? path}`, issues, {
      ...(options.code !== undefined && { code: options.code }),
      details: { path },
    })
  }
  const at = (keyPath: readonly (string | number)[]) => atOffset(offsetOf(doc.contents, keyPath))
  return {
    path,
    value: doc.toJS(),
    at,
    locate: (issues) => issues.map((issue) => ({ ...issue, location: at(issue.path) })),
  }
}

/**
 * Source offset for a key path: the value when it exists, else the key of the deepest existing
 * parent, so a missing key points at the mapping it belongs in.
 */
function offsetOf(root: unknown, path: readonly (string | number)[]): number {
  let node = root as Node | null | undefined
  let offset = (node as Node | undefined)?.range?.[0] ?? 0
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isScalar(p.key) && String(p.key.value) === String(segment),
      )
      if (pair === undefined) return offset
      offset = (pair.key as Node).range?.[0] ?? offset
      node = pair.value as Node | null
      // A present key whose value is wrong: point at the value when it has a position.
      if (node?.range) offset = node.range[0]
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined
      if (!item?.range) return offset
      node = item
      offset = item.range[0]
    } else {
      return offset
    }
  }
  return offset
}
