/**
 * The data-flow rule between steps, the spec's shallow merge: the params the next step sees are
 * the params this step saw with the keys of its result laid over them. So a result key wins over
 * a param or an earlier result of the same name, and every key no result overwrites is carried to
 * every later step (the spec's gotcha: two dataset actions in a row both see the first one's
 * `operation`; an edge's `mapParams` is the way out). A result that is not a plain object (an
 * array, a string, nothing) adds no keys.
 *
 * @example
 * mergeResult({ dataset: 'a', epochs: 3 }, { dataset: 'b', weights: 'w.pt' })
 * // { dataset: 'b', epochs: 3, weights: 'w.pt' }
 */
export function mergeResult(
  params: Readonly<Record<string, unknown>>,
  result: unknown,
): Record<string, unknown> {
  return isPlainObject(result) ? { ...params, ...result } : { ...params }
}

/** True for `{}`-style objects (not arrays, dates, maps or class instances). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}
