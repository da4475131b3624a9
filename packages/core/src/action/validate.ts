import type { z } from 'zod'
import { ValidationError, type ValidationIssue } from '../errors/errors'
import type { Logger } from '../logging/logger'
import type { AnyActionDefinition } from './action-definition'

/** zod issues → our issues, every one with its path. */
export function toValidationIssues(issues: readonly z.core.$ZodIssue[]): ValidationIssue[] {
  return issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
    message: issue.message,
    code: issue.code,
  }))
}

/** Validates params against the action's schema; throws one error listing every issue. */
export function validateParams<TDefinition extends AnyActionDefinition>(
  action: TDefinition,
  params: unknown,
): z.output<TDefinition['params']> {
  const parsed = action.params.safeParse(params ?? {})
  if (parsed.success) return parsed.data
  throw new ValidationError(
    `Invalid params for action '${action.name || '(unnamed)'}'`,
    toValidationIssues(parsed.error.issues),
    { code: 'INVALID_PARAMS', details: { action: action.name } },
  )
}

/**
 * Checks a result against the action's result schema. No schema: the result as is. Valid: the
 * parsed value (defaults applied). Invalid: `strict` throws; `warn` logs a warning and keeps the
 * original result; `off` skips the check.
 */
export function validateResult(
  action: AnyActionDefinition,
  result: unknown,
  logger: Logger,
): unknown {
  if (action.result === undefined || action.resultValidation === 'off') return result
  const parsed = (action.result as z.ZodType).safeParse(result)
  if (parsed.success) return parsed.data
  const issues = toValidationIssues(parsed.error.issues)
  if (action.resultValidation === 'strict') {
    throw new ValidationError(
      `Result of action '${action.name}' does not match its schema`,
      issues,
      {
        code: 'INVALID_RESULT',
        details: { action: action.name },
      },
    )
  }
  if (!logger.finished) {
    logger.warning(`Result of action '${action.name}' does not match its schema`, { issues })
  }
  return result
}
