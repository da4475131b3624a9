import type { PipelineDiagnostic } from './pipeline-diagnostic'
import type { ResolvedStep } from './pipeline-step'
import { schemaFields } from './schema-fields'

/**
 * Which required params of each action nothing before it provides, judged by schemas alone:
 * the keys given at the start (`initialKeys`), every earlier action's result keys, and every
 * earlier action's required params (those came from somewhere, and merged params carry them on).
 * An action is checked only when its params schema is an object and the action before it has a
 * result schema; a step with `mapParams` ends the checking, since its params are the mapping's.
 * `from = 0` skips the first action, whose params are the initial params themselves.
 */
export function missingParams(
  steps: readonly ResolvedStep[],
  initialKeys: ReadonlySet<string>,
  severity: PipelineDiagnostic['severity'],
  from = 1,
): PipelineDiagnostic[] {
  const diagnostics: PipelineDiagnostic[] = []
  const known = new Set(initialKeys)
  let previous: string | undefined
  let previousHasResult = false
  let position = 0
  for (const step of steps) {
    if (step.kind === 'converter') {
      previous = step.name
      continue
    }
    if (step.mapParams !== undefined) break
    const params = schemaFields(step.action.params)
    if (position >= from && params !== undefined && previousHasResult) {
      const missing = params.required.filter((key) => !known.has(key))
      if (missing.length > 0) {
        diagnostics.push({
          severity,
          code: 'MISSING_PARAMS',
          from: previous ?? '(params)',
          to: step.name,
          missing,
          message: `Schema mismatch: '${step.name}' requires ${missing.map((k) => `'${k}'`).join(', ')}, which no earlier result provides. These must be provided in initial params.`,
        })
      }
    }
    for (const key of params?.required ?? []) known.add(key)
    const result = schemaFields(step.action.result)
    for (const key of result?.keys ?? []) known.add(key)
    previousHasResult = result !== undefined
    previous = step.name
    position++
  }
  return diagnostics
}
