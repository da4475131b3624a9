import {
  type AnyActionDefinition,
  type DataTypeRegistry,
  isActionClass,
  isActionDefinition,
  isCompatibleWith,
  resolveAction,
  type TypeAdapterRegistry,
} from '@synapse/core'
import type { PipelineDiagnostic } from './pipeline-diagnostic'
import type { PipelineStepInput, PipelineStepSpec, ResolvedStep } from './pipeline-step'

/** What {@link buildSteps} checks against. */
export interface BuildStepsOptions {
  types: DataTypeRegistry
  adapters: TypeAdapterRegistry
  insertConverters: boolean
  strict: boolean
}

/**
 * The steps of a pipeline from what it was given, with an adapter chain spliced into each edge
 * whose types differ when converters are on and the registry can bridge them, and a diagnostic
 * for each edge whose types do not fit.
 */
export function buildSteps(
  inputs: readonly PipelineStepInput[],
  options: BuildStepsOptions,
): { steps: ResolvedStep[]; diagnostics: PipelineDiagnostic[] } {
  const steps: ResolvedStep[] = []
  const diagnostics: PipelineDiagnostic[] = []
  const taken = new Set<string>()
  const uniqueName = (wanted: string): string => {
    let name = wanted
    // Two runs of one action (download, then download again) stay apart in status and checkpoints.
    for (let n = 2; taken.has(name); n++) name = `${wanted}-${n}`
    taken.add(name)
    return name
  }
  let previous: AnyActionDefinition | undefined
  let previousName = ''
  for (const input of inputs) {
    const spec = toSpec(input)
    const action = resolveAction(spec.action)
    const name = uniqueName(spec.name ?? (action.name || `step-${steps.length + 1}`))
    const from = previous?.outputType
    const to = action.inputType
    if (previous !== undefined && from !== undefined && to !== undefined) {
      if (!typesFit(from, to, options.types)) {
        const chain = options.adapters.findPath(from, to)
        if (chain !== undefined && options.insertConverters) {
          for (const adapter of chain) {
            steps.push({
              kind: 'converter',
              index: steps.length,
              name: uniqueName(adapter.name),
              adapter,
              weight: 1,
            })
          }
          const names = chain.map((a) => `${a.name}${a.lossy ? ' (lossy)' : ''}`).join(' → ')
          diagnostics.push({
            severity: 'info',
            code: 'CONVERTER_INSERTED',
            from: previousName,
            to: name,
            fromType: from,
            toType: to,
            message: `'${previousName}' outputs '${from}' and '${name}' expects '${to}': inserted ${names}`,
          })
        } else {
          const hint =
            chain === undefined
              ? ''
              : ` The adapters ${chain.map((a) => a.name).join(' → ')} could bridge it: pass insertConverters: true.`
          diagnostics.push({
            severity: options.strict ? 'error' : 'warning',
            code: 'TYPE_MISMATCH',
            from: previousName,
            to: name,
            fromType: from,
            toType: to,
            message: `Type mismatch: '${previousName}' outputs '${from}' but '${name}' expects '${to}'.${hint}`,
          })
        }
      }
    }
    steps.push({
      kind: 'action',
      index: steps.length,
      name,
      action,
      mapParams: spec.mapParams,
      weight: spec.weight ?? 1,
    })
    previous = action
    previousName = name
  }
  return { steps, diagnostics }
}

/**
 * Registered types fit when one descends from the other; a name the registry does not know
 * (a plugin's own free-form type) fits only itself.
 */
export function typesFit(from: string, to: string, types: DataTypeRegistry): boolean {
  if (from === to) return true
  const a = types.get(from)
  const b = types.get(to)
  return a !== undefined && b !== undefined && isCompatibleWith(a, b)
}

function toSpec(input: PipelineStepInput): PipelineStepSpec {
  if (isActionDefinition(input) || isActionClass(input)) return { action: input }
  if (typeof input === 'object' && input !== null && 'action' in input) {
    const spec = input as PipelineStepSpec
    if (spec.weight !== undefined && !(spec.weight >= 0 && Number.isFinite(spec.weight))) {
      throw new TypeError(`Step weight must be a finite number ≥ 0, not ${spec.weight}`)
    }
    return spec
  }
  throw new TypeError('A pipeline step must be an action, a BaseAction class, or { action, … }')
}
