import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import type { AnyActionDefinition } from '../../action/action-definition'
import type { ExecutorProtocol, RunRequest } from '../../executor/executor-protocol'
import type { ConformanceAction, ConformanceFixture } from './conformance-fixture'

/** Makes the executor under test: a fresh one per check, closed after it. */
export type ExecutorFactory = () => ExecutorProtocol | Promise<ExecutorProtocol>

/** What the suite needs to know of the executor under test. */
export interface ConformanceOptions {
  /**
   * The longest the executor takes to declare a run cancelled after `cancel` when the action
   * ignores its signal (LocalExecutor's `cancelGraceMs`). Keep it short in tests. Default 2000.
   */
  cancelGraceMs?: number
  /** A check that takes longer than this fails. Default 15000. */
  checkTimeoutMs?: number
}

/** What a check works with: the executor under test and requests for the conformance plugin. */
export interface ConformanceHarness {
  readonly executor: ExecutorProtocol
  readonly cancelGraceMs: number
  /**
   * A request for one of the plugin's actions, with both the live definition and its `source`,
   * so an executor that runs elsewhere can load it from the spec.
   */
  request(
    action: ConformanceAction,
    params?: Record<string, unknown>,
    extra?: Omit<RunRequest, 'action' | 'params' | 'source'>,
  ): RunRequest
  /** The action's definition (what the waiting side revives results with). */
  definition(action: ConformanceAction): AnyActionDefinition
  /** A run id no other check uses. */
  runId(label: string): string
  /** A fresh path for a marker file the plugin's actions append to. */
  file(label: string): string
}

/** The harness of one check, over a fixture and the executor the factory made. */
export function createHarness(
  executor: ExecutorProtocol,
  fixture: ConformanceFixture,
  options: ConformanceOptions,
): ConformanceHarness {
  const unique = (label: string) => `conf-${label}-${randomUUID().slice(0, 8)}`
  return {
    executor,
    cancelGraceMs: options.cancelGraceMs ?? 2000,
    request: (action, params = {}, extra = {}) => ({
      ...extra,
      action: fixture.actions[action],
      params,
      source: fixture.sourceOf(action),
    }),
    definition: (action) => fixture.actions[action],
    runId: unique,
    file: (label) => join(fixture.scratch, unique(label)),
  }
}
