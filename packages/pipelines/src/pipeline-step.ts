import type { ActionClass, AnyActionDefinition, TypeAdapter } from '@synapse/core'

/** One action of a pipeline, with what its edge needs beyond the default data flow. */
export interface PipelineStepSpec {
  action: AnyActionDefinition | ActionClass
  /** Label in plans, status and checkpoints; default the action's name. Unique in a pipeline. */
  name?: string
  /**
   * The params this action gets, from the params merged so far; what it returns replaces them
   * (it can drop, rename or overwrite keys) before the action's result is merged on top. Must be
   * a pure function of its input: `resume` replays it to rebuild the params of later steps.
   */
  mapParams?: (merged: Readonly<Record<string, unknown>>) => Record<string, unknown>
  /** Share of the pipeline's progress; default 1 (equal shares). */
  weight?: number
}

/** What a pipeline is built from: an action as it is, or with its edge spelt out. */
export type PipelineStepInput = AnyActionDefinition | ActionClass | PipelineStepSpec

/** A step of the plan: an action, or an adapter spliced in to bridge two types. */
export type ResolvedStep =
  | {
      kind: 'action'
      index: number
      name: string
      action: AnyActionDefinition
      mapParams: PipelineStepSpec['mapParams']
      weight: number
    }
  | {
      kind: 'converter'
      index: number
      name: string
      adapter: TypeAdapter
      weight: number
    }
