/** What a check found on one edge of a pipeline (`from` → `to`). */
export interface PipelineDiagnostic {
  /** `error` stops the pipeline (strict mode, or a missing param at plan time). */
  severity: 'error' | 'warning' | 'info'
  code: 'TYPE_MISMATCH' | 'MISSING_PARAMS' | 'CONVERTER_INSERTED' | 'INVALID_PARAMS'
  /** The step before the edge (`(params)` for the initial params). */
  from: string
  /** The step after it. */
  to: string
  fromType?: string
  toType?: string
  /** Required params of `to` that nothing before it provides. */
  missing?: string[]
  message: string
}
