import { BaseAction, DEFAULT_CATEGORY, type RuntimeContext } from '@synapse/core'
import { Orchestrator, type OrchestratorSummary, StepContext, StepRegistry } from '@synapse/steps'
import type { z } from 'zod'
import { LocalWorkspace } from './workspace/local-workspace'
import type { Workspace } from './workspace/workspace'
import { SYNAPSE_WORKSPACE_ENV } from './workspace/workspace-root'

/**
 * The base every category action shares: a workspace, and a workflow of steps run by the
 * orchestrator. While a step runs, `setProgress` and `setMetrics` go through its context, so
 * progress in the step's own category also moves the run's `overall` bar within the step's share.
 */
export abstract class WorkflowAction<
  TParams extends z.ZodType = z.ZodType,
  TContext extends StepContext = StepContext,
> extends BaseAction<TParams> {
  #workspace: Workspace | undefined
  #steps: TContext | undefined

  /**
   * The workspace the action reads datasets from and stores models in. By default the embedded
   * one ({@link LocalWorkspace}) at `$SYNAPSE_WORKSPACE` from the run's env or the process's,
   * else next to the run store; override {@link WorkflowAction.createWorkspace} for another.
   */
  get workspace(): Workspace {
    this.#workspace ??= this.createWorkspace()
    return this.#workspace
  }

  /** Makes the workspace on first use; override to use a remote backend. */
  protected createWorkspace(): Workspace {
    const fromRun = this.ctx.env.get(SYNAPSE_WORKSPACE_ENV)
    return LocalWorkspace.open({
      env: {
        ...process.env,
        ...(typeof fromRun === 'string' && { [SYNAPSE_WORKSPACE_ENV]: fromRun }),
      },
    })
  }

  /** The context the workflow's steps share; built once per run. */
  protected abstract createContext(): TContext

  /** Registers the workflow's steps; subclasses override it to replace or extend the default. */
  protected abstract setupSteps(registry: StepRegistry<TContext>): void

  /** The workflow's context while it runs (and after), for helpers called from inside steps. */
  protected get stepContext(): TContext | undefined {
    return this.#steps
  }

  /** Runs the workflow's steps; the summary is logged as `workflow_summary`. */
  protected async runWorkflow(): Promise<{ context: TContext; summary: OrchestratorSummary }> {
    const registry = new StepRegistry<TContext>()
    this.setupSteps(registry)
    const context = this.createContext()
    this.#steps = context
    const summary = await new Orchestrator(registry, context).execute()
    this.ctx.log('workflow_summary', { ...summary })
    return { context, summary }
  }

  override setProgress(current: number, total: number, category?: string): void {
    const steps = this.#steps
    if (steps?.currentStep !== undefined) steps.setProgress(current, total, category)
    else this.ctx.setProgress(current, total, category)
  }

  /** Outside a step a category is required; inside one it defaults to the step's name. */
  override setMetrics(values: Record<string, unknown>, category?: string): void {
    const steps = this.#steps
    if (steps !== undefined) steps.setMetrics(values, category)
    else this.ctx.setMetrics(values, category ?? DEFAULT_CATEGORY)
  }
}

/** A step context that knows its action, for steps that call the action's hooks. */
export class ActionStepContext<TAction> extends StepContext {
  /** The action whose workflow this is. */
  readonly action: TAction

  constructor(action: TAction, runtime: RuntimeContext) {
    super(runtime)
    this.action = action
  }
}
