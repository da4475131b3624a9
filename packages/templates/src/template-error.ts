import {
  type ErrorKind,
  PluginError,
  type PluginErrorOptions,
  registerErrorCodes,
} from '@synapse/core'

/**
 * Stable codes of `@synapse/templates` errors, all bad input (exit 2): nothing is written.
 *
 * - `TEMPLATE_NOT_FOUND`: no template for the category named.
 * - `PLUGIN_CODE_INVALID`: the plugin code is not a slug (or none was given or derivable).
 * - `TEMPLATE_ANSWER_INVALID`: a category option (data type, task, annotation type…) is not one
 *   the template offers.
 * - `PLUGIN_TARGET_EXISTS`: the folder the plugin would be created in exists and is not empty.
 */
export const TEMPLATE_ERROR_KINDS = {
  TEMPLATE_NOT_FOUND: 'input',
  PLUGIN_CODE_INVALID: 'input',
  TEMPLATE_ANSWER_INVALID: 'input',
  PLUGIN_TARGET_EXISTS: 'input',
} as const satisfies Record<string, ErrorKind>

/** A code of {@link TEMPLATE_ERROR_KINDS}. */
export type TemplateErrorCode = keyof typeof TEMPLATE_ERROR_KINDS

registerErrorCodes(TEMPLATE_ERROR_KINDS)

/** A plugin cannot be generated as asked; the message names the value and what is allowed. */
export class TemplateError extends PluginError {
  constructor(code: TemplateErrorCode, message: string, options: PluginErrorOptions = {}) {
    super(message, { ...options, code })
  }
}

PluginError.register(
  'TemplateError',
  (json) =>
    new TemplateError(json.code as TemplateErrorCode, json.message, { details: json.details }),
)
