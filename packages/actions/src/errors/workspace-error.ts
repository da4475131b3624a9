import { PluginError, type PluginErrorOptions } from '@synapse/core'
import type { ActionErrorCode } from './action-error-codes'

/** Something the workspace was asked for does not exist, cannot be stored, or is damaged. */
export class WorkspaceError extends PluginError {
  constructor(code: ActionErrorCode, message: string, options: PluginErrorOptions = {}) {
    super(message, { ...options, code })
  }
}

PluginError.register(
  'WorkspaceError',
  (json) =>
    new WorkspaceError(json.code as ActionErrorCode, json.message, { details: json.details }),
)
