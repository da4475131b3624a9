/**
 * Every error code core raises, with what it means for the caller: `input` (the request was
 * wrong and nothing ran: exit 2), `cancelled` (exit 130) or `failure` (the run or the system
 * failed: exit 1). The CLI derives its exit codes from this table, so a new code is one line here.
 */
export const ERROR_CODES = {
  PLUGIN_ERROR: 'failure',
  INVALID_ARGUMENT: 'failure',
  // Params, config and the request itself
  VALIDATION_ERROR: 'input',
  INVALID_PARAMS: 'input',
  INVALID_RESULT: 'failure',
  INVALID_RUN_ID: 'input',
  INVALID_RUN_SPEC: 'input',
  PARAMS_NOT_JSON: 'input',
  PARAMS_NOT_OBJECT: 'input',
  PARAMS_FILE_UNREADABLE: 'input',
  INVALID_ENV_FLAG: 'input',
  CONFIG_INVALID: 'input',
  CONFIG_NOT_FOUND: 'input',
  ACTION_NOT_FOUND: 'input',
  UNKNOWN_MODE: 'input',
  RUN_CONFLICT: 'input',
  // Loading a plugin
  PLUGIN_LOAD_FAILED: 'failure',
  MISSING_ENTRYPOINT: 'input',
  INVALID_ENTRYPOINT: 'input',
  INVALID_SCHEMA: 'input',
  MODULE_NOT_FOUND: 'input',
  EXPORT_NOT_FOUND: 'input',
  PLUGIN_DEPENDENCY_MISSING: 'input',
  // Environment
  ENV_INVALID: 'failure',
  ENV_MISSING_KEY: 'failure',
  ENV_INVALID_VALUE: 'failure',
  ENV_FILE_NOT_FOUND: 'input',
  ENV_FILE_UNREADABLE: 'input',
  ENV_FILE_INVALID: 'input',
  // Running
  EXECUTION_FAILED: 'failure',
  ACTION_CRASHED: 'failure',
  RESULT_NOT_ENCODABLE: 'failure',
  VALUE_NOT_ENCODABLE: 'failure',
  PARAMS_NOT_ENCODABLE: 'input',
  LOGGER_FINISHED: 'failure',
  PLUGIN_RUN_FAILED: 'failure',
  RUN_CANCELLED: 'cancelled',
  RUN_NOT_FOUND: 'input',
  WAIT_TIMEOUT: 'failure',
  WAIT_ABORTED: 'cancelled',
  EXECUTOR_CLOSED: 'failure',
  // Events on the wire and the run store
  EVENT_INVALID: 'failure',
  STORE_UNAVAILABLE: 'failure',
  STORE_CORRUPT: 'failure',
  // Pipelines, publishing, archives
  SCHEMA_INCOMPATIBLE: 'input',
  PLUGIN_UPLOAD_FAILED: 'failure',
  ARCHIVE_FAILED: 'failure',
  BUILD_FAILED: 'failure',
  CHECKSUM_MISMATCH: 'failure',
  // Registries: plugins by code@version
  INVALID_PLUGIN_REF: 'input',
  VERSION_EXISTS: 'input',
  RELEASE_NOT_FOUND: 'input',
  REGISTRY_REQUIRED: 'input',
} as const satisfies Record<string, ErrorKind>

/** What an error code tells the caller. */
export type ErrorKind = 'input' | 'failure' | 'cancelled'

/** The codes core raises. */
export type CoreErrorCode = keyof typeof ERROR_CODES

/**
 * A stable error code: one of core's, or one a package or plugin registers (datasets' own,
 * `QUOTA_EXCEEDED` from a plugin). Callers switch on codes, never on messages.
 */
export type ErrorCode = CoreErrorCode | (string & {})

const registered = new Map<string, ErrorKind>(Object.entries(ERROR_CODES))

/**
 * Declares a package's own codes and their kind, so callers (the CLI's exit code) treat them
 * like core's. Codes nobody declared are failures.
 *
 * @example
 * registerErrorCodes({ DATASET_PARSE_ERROR: 'input', DATASET_IO_ERROR: 'failure' })
 */
export function registerErrorCodes(codes: Record<string, ErrorKind>): void {
  for (const [code, kind] of Object.entries(codes)) registered.set(code, kind)
}

/** The kind of a code: `input`, `cancelled` or `failure` (the default for unknown codes). */
export function errorKindOf(code: string): ErrorKind {
  return registered.get(code) ?? 'failure'
}
