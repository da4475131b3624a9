import type { PipelineDiagnostic } from './pipeline-diagnostic'
import type { ResolvedStep } from './pipeline-step'

/** One step of a plan, as JSON: what runs, in which order, between which types. */
export interface PlanStep {
  index: number
  kind: 'action' | 'converter'
  name: string
  /** The action's name, or the adapter's. */
  target: string
  inputType?: string
  outputType?: string
  /** Converters only: whether the conversion can lose information. */
  lossy?: boolean
  /** Actions only: whether an explicit `mapParams` sets its params. */
  mapped?: boolean
  weight: number
}

/** What a pipeline would do with given params, found without running anything. */
export interface PipelinePlan {
  name: string
  /** False when a diagnostic is an error: `run` and `submit` would refuse these params. */
  ok: boolean
  steps: PlanStep[]
  diagnostics: PipelineDiagnostic[]
  /** The graph as text, one line per step, then the diagnostics. */
  text: string
}

/** The JSON view of the resolved steps. */
export function planSteps(steps: readonly ResolvedStep[]): PlanStep[] {
  return steps.map((step): PlanStep => {
    if (step.kind === 'converter') {
      const { adapter } = step
      return {
        index: step.index,
        kind: 'converter',
        name: step.name,
        target: adapter.name,
        inputType: adapter.from,
        outputType: adapter.to,
        lossy: adapter.lossy,
        weight: step.weight,
      }
    }
    const { action } = step
    return {
      index: step.index,
      kind: 'action',
      name: step.name,
      target: action.name,
      ...(action.inputType !== undefined && { inputType: action.inputType }),
      ...(action.outputType !== undefined && { outputType: action.outputType }),
      mapped: step.mapParams !== undefined,
      weight: step.weight,
    }
  })
}

/**
 * The plan as text: a numbered line per step with its types, converters marked, then each
 * diagnostic with its severity.
 *
 * @example
 * // pipeline 'train' (3 steps)
 * //   1. download      action     → coco_dataset
 * //   2. coco_to_yolo  converter  coco_dataset → yolo_dataset  lossy
 * //   3. train         action     yolo_dataset → model_weights
 */
export function renderPlan(
  name: string,
  steps: readonly PlanStep[],
  diagnostics: readonly PipelineDiagnostic[],
): string {
  const width = Math.max(...steps.map((s) => s.name.length))
  const lines = [`pipeline '${name}' (${steps.length} step${steps.length === 1 ? '' : 's'})`]
  for (const step of steps) {
    const types =
      step.inputType === undefined && step.outputType === undefined
        ? ''
        : `${step.inputType ?? ''} → ${step.outputType ?? ''}`.trim()
    const marks = [
      step.lossy === true ? 'lossy' : '',
      step.mapped === true ? 'mapped params' : '',
      step.name !== step.target ? `(${step.target})` : '',
    ].filter((m) => m !== '')
    lines.push(
      `  ${step.index + 1}. ${step.name.padEnd(width)}  ${step.kind.padEnd(9)}  ${types}${marks.length > 0 ? `  ${marks.join(', ')}` : ''}`.trimEnd(),
    )
  }
  for (const d of diagnostics) lines.push(`${d.severity}: ${d.message}`)
  return lines.join('\n')
}
