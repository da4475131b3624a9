/**
 * What one step produced. `data` is for the steps after it; `rollbackData` is what its own
 * `rollback` needs to undo it (ids created, files written). A failed result carries `error`.
 */
export interface StepResult<TData extends Record<string, unknown> = Record<string, unknown>> {
  readonly success: boolean
  readonly data: TData
  readonly error: Error | undefined
  readonly rollbackData: Record<string, unknown>
  readonly skipped: boolean
  /** When the result was made. */
  readonly timestamp: Date
}

/** The fields of a {@link StepResult} a step chooses; the rest have defaults. */
export interface StepResultInit<TData extends Record<string, unknown>> {
  /** Default `true`, or `false` when `error` is given. */
  success?: boolean
  data?: TData
  /** A message becomes an `Error`; the orchestrator reports it as the step failure's cause. */
  error?: Error | string
  rollbackData?: Record<string, unknown>
  skipped?: boolean
}

/**
 * Builds a {@link StepResult}: a success with no data by default, a failure when `error` is set.
 *
 * @example
 * return stepResult({ data: { urls }, rollbackData: { urls } })
 * return stepResult({ error: `Missing files: ${missing.join(', ')}` })
 */
export function stepResult<TData extends Record<string, unknown> = Record<string, unknown>>(
  init: StepResultInit<TData> = {},
): StepResult<TData> {
  const error = typeof init.error === 'string' ? new Error(init.error) : init.error
  return {
    success: init.success ?? error === undefined,
    data: init.data ?? ({} as TData),
    error,
    rollbackData: init.rollbackData ?? {},
    skipped: init.skipped ?? false,
    timestamp: new Date(),
  }
}
