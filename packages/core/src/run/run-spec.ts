import { z } from 'zod'
import { resolveRequest } from '../action/base-action'
import { toValidationIssues } from '../action/validate'
import { type JsonValue, toJsonValue } from '../codec/json-value'
import { PluginEnvironment } from '../context/plugin-environment'
import type { Checkpoint } from '../context/runtime-context'
import { PluginDiscovery } from '../discovery/plugin-discovery'
import { PluginRunError, ValidationError } from '../errors/errors'
import type { ResolvedRunRequest, RunRequest } from '../executor/executor-protocol'
import { isValidRunId } from '../executor/run-id'

/** Where the plugin of a run is: a folder now; a published `code@version` later. */
export type PluginRef = { path: string } | { code: string; version: string }

/**
 * What travels to another process or machine to start a run: plain JSON, nothing live. A
 * remote executor is implementable from this alone (see {@link loadRunSpec}).
 */
export interface RunSpec {
  specVersion: 1
  runId: string
  plugin: PluginRef
  action: string
  /** The params as the caller gave them; the receiving side validates them again. */
  params: JsonValue
  /** Environment entries set for this run, over the worker's own. */
  env?: Record<string, JsonValue>
  checkpoint?: Checkpoint
  /** The pipeline run this run belongs to. */
  parentRunId?: string
}

/** The schema a receiver checks a spec with before it runs anything. */
export const RunSpecSchema: z.ZodType<RunSpec> = z.object({
  specVersion: z.literal(1),
  runId: z.string().refine(isValidRunId, 'not a valid run id'),
  plugin: z.union([
    z.object({ path: z.string().min(1) }).strict(),
    z.object({ code: z.string().min(1), version: z.string().min(1) }).strict(),
  ]),
  action: z.string().min(1),
  params: z.json(),
  env: z.record(z.string(), z.json()).optional(),
  checkpoint: z.object({ category: z.string(), path: z.string() }).optional(),
  parentRunId: z.string().refine(isValidRunId, 'not a valid run id').optional(),
}) as unknown as z.ZodType<RunSpec>

/**
 * The spec of a request, for an executor that runs it elsewhere. The request must say where its
 * action comes from (`source`, as discovery gives it); params and env must be JSON.
 *
 * @example
 * const plugin = PluginDiscovery.fromPath('./my-plugin')
 * const spec = createRunSpec({ action, params, source: plugin.sourceOf('train') }, runId)
 */
export function createRunSpec(request: RunRequest, runId: string): RunSpec {
  const { action } = resolveRequest(request)
  if (request.source === undefined) {
    throw new PluginRunError(
      `Action '${action.name}' cannot run in another process: the request does not say which plugin it comes from (set 'source', e.g. from PluginDiscovery.sourceOf)`,
      { code: 'INVALID_RUN_SPEC', details: { action: action.name } },
    )
  }
  const spec: RunSpec = {
    specVersion: 1,
    runId,
    // A registry release travels by name: the receiving side installs it from its registry.
    plugin:
      request.source.release === undefined
        ? { path: request.source.pluginPath }
        : { code: request.source.release.code, version: request.source.release.version },
    action: request.source.action,
    params: toJsonValue(request.params ?? {}, 'params', 'PARAMS_NOT_ENCODABLE'),
  }
  if (request.env !== undefined) {
    spec.env = toJsonValue(request.env.toObject(), 'env', 'PARAMS_NOT_ENCODABLE') as Record<
      string,
      JsonValue
    >
  }
  if (request.checkpoint !== undefined) spec.checkpoint = { ...request.checkpoint }
  if (request.parentRunId !== undefined) spec.parentRunId = request.parentRunId
  return spec
}

/** Checks a spec received from elsewhere; throws `ValidationError` (`INVALID_RUN_SPEC`) listing every issue. */
export function parseRunSpec(value: unknown): RunSpec {
  const parsed = RunSpecSchema.safeParse(value)
  if (parsed.success) return parsed.data
  throw new ValidationError('Invalid run spec', toValidationIssues(parsed.error.issues), {
    code: 'INVALID_RUN_SPEC',
  })
}

/**
 * The receiving side of a spec: checks it, loads the plugin and the action, and returns the
 * request to run (params not yet validated: the executor does that, as for any request).
 */
export async function loadRunSpec(value: unknown): Promise<ResolvedRunRequest & { runId: string }> {
  const spec = parseRunSpec(value)
  if (!('path' in spec.plugin)) {
    throw new PluginRunError(
      `Plugin ${spec.plugin.code}@${spec.plugin.version} cannot be resolved: no plugin registry is configured`,
      { code: 'INVALID_RUN_SPEC', details: { plugin: spec.plugin } },
    )
  }
  const discovery = PluginDiscovery.fromPath(spec.plugin.path)
  const action = await discovery.getAction(spec.action)
  const request: ResolvedRunRequest & { runId: string } = {
    action,
    params: spec.params,
    source: discovery.sourceOf(spec.action),
    runId: spec.runId,
  }
  if (spec.env !== undefined) request.env = new PluginEnvironment(spec.env)
  if (spec.checkpoint !== undefined) request.checkpoint = spec.checkpoint
  if (spec.parentRunId !== undefined) request.parentRunId = spec.parentRunId
  return request
}
