import { isPluginEnvironment, PluginEnvironment } from '../context/plugin-environment'
import { type BackendClient, type Checkpoint, RuntimeContext } from '../context/runtime-context'
import type { LogLevel } from '../enums'
import type {
  LogEventBody,
  ProgressEventBody,
  RunEvent,
  RunEventHeader,
} from '../logging/run-event'
import { RunLogger } from '../logging/run-logger'

/** Options of {@link createTestContext}; every one has a default fit for a unit test. */
export interface TestContextOptions {
  /** The run's env; secrets in it are masked in the recorded events, as in a real run. */
  env?: PluginEnvironment | Record<string, unknown>
  /** Default `test-run`. */
  runId?: string
  /** Lowest log level recorded. Default `debug` (everything). */
  logLevel?: LogLevel
  client?: BackendClient
  checkpoint?: Checkpoint
  /** Clock in ms for the events' times and progress ETAs, for deterministic assertions. */
  now?: () => number
}

type Recorded<TBody> = RunEventHeader & TBody

/** What {@link createTestContext} returns: the context to hand an action, and its record. */
export interface TestContext {
  ctx: RuntimeContext
  runId: string
  env: PluginEnvironment
  /** Every event the action caused, in order. */
  events: RunEvent[]
  /** Aborting it is what `cancel` on an executor does to a running action. */
  controller: AbortController
  /** Aborts the context's signal, as cancelling a run does; `reason` becomes the signal's reason. */
  cancel(reason?: unknown): void
  /** Progress events in order, of one category or of all. */
  progress(category?: string): Recorded<ProgressEventBody>[]
  /** The merged metric values of a category after each `setMetrics` call, in order. */
  metrics(category: string): Record<string, unknown>[]
  /** Log events in order, of one level or of all. */
  logs(level?: LogLevel): Recorded<LogEventBody>[]
  /** The `message` of every plain message logged (`logMessage`, `logger.info`…), in order. */
  messages(): string[]
}

/**
 * A {@link RuntimeContext} for calling an action directly in a unit test, with no executor:
 * every log, progress and metrics call is recorded as the {@link RunEvent} a real run would emit
 * (same logger, same redaction), so a test can assert on them.
 *
 * @example
 * const t = createTestContext({ env: { BATCH: '4' } })
 * await train.run({ epochs: 2 }, t.ctx)
 * expect(t.progress('epoch').map((e) => e.percent)).toEqual([50, 100])
 * expect(t.metrics('train').at(-1)).toMatchObject({ loss: expect.any(Number) })
 */
export function createTestContext(options: TestContextOptions = {}): TestContext {
  const runId = options.runId ?? 'test-run'
  const env = isPluginEnvironment(options.env)
    ? options.env
    : new PluginEnvironment(options.env ?? {})
  const events: RunEvent[] = []
  const logger = new RunLogger({
    runId,
    sinks: [{ write: (event) => events.push(event) }],
    secrets: env.secretValues(),
    ...(options.logLevel !== undefined && { level: options.logLevel }),
    ...(options.now !== undefined && { now: options.now }),
  })
  const controller = new AbortController()
  const ctx = new RuntimeContext({
    logger,
    env,
    runId,
    signal: controller.signal,
    client: options.client,
    checkpoint: options.checkpoint,
  })
  const ofType = <TType extends RunEvent['type']>(type: TType) =>
    events.filter((e): e is Extract<RunEvent, { type: TType }> => e.type === type)
  return {
    ctx,
    runId,
    env,
    events,
    controller,
    cancel: (reason?: unknown) => controller.abort(reason),
    progress: (category) =>
      ofType('progress').filter((e) => category === undefined || e.category === category),
    metrics: (category) =>
      ofType('metrics')
        .filter((e) => e.category === category)
        .map((e) => e.values),
    logs: (level) => ofType('log').filter((e) => level === undefined || e.level === level),
    messages: () =>
      ofType('log')
        .filter((e) => e.event === 'message')
        .map((e) => String(e.data['message'])),
  }
}
