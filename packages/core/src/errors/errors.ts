import { PluginError, type PluginErrorOptions } from './plugin-error'

/**
 * One issue found while validating input: where (`path`), what (`message`) and the validator's
 * own code. `location` is set when the input came from a file (`file:line:col`).
 */
export interface ValidationIssue {
  path: (string | number)[]
  message: string
  code?: string
  location?: string
}

/** Renders a path as `a.b[0].c`; the empty path is `(root)`. */
export function formatIssuePath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)'
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out === '' ? part : `.${part}`
  }
  return out
}

/** Input failed validation. Carries every issue at once, each with its path. */
export class ValidationError extends PluginError {
  readonly issues: ValidationIssue[]

  constructor(message: string, issues: ValidationIssue[], options: PluginErrorOptions = {}) {
    const lines = issues.map(
      (i) => `  - ${i.location ? `${i.location} ` : ''}${formatIssuePath(i.path)}: ${i.message}`,
    )
    super(lines.length > 0 ? `${message}\n${lines.join('\n')}` : message, {
      code: 'VALIDATION_ERROR',
      ...options,
      details: { ...options.details, issues },
    })
    this.issues = issues
  }
}

/** The named action is not in the plugin; `available` lists the ones that are. */
export class ActionNotFoundError extends PluginError {
  readonly available: string[]
  constructor(action: string, available: string[], options: PluginErrorOptions = {}) {
    const list = available.length > 0 ? available.join(', ') : '(none)'
    super(`Action '${action}' not found. Available actions: ${list}`, {
      code: 'ACTION_NOT_FOUND',
      ...options,
      details: { action, available, ...options.details },
    })
    this.available = available
  }
}

/** An action ran and failed. The original error is kept as `cause`. */
export class ExecutionError extends PluginError {
  constructor(message: string, options: PluginErrorOptions = {}) {
    super(message, { code: 'EXECUTION_FAILED', ...options })
  }
}

/** config.yaml (or another plugin file) is missing or invalid; issues carry `file:line:col`. */
export class ConfigError extends ValidationError {
  constructor(message: string, issues: ValidationIssue[] = [], options: PluginErrorOptions = {}) {
    super(message, issues, { code: 'CONFIG_INVALID', ...options })
  }
}

/** A plugin module or its export could not be loaded. */
export class PluginLoadError extends PluginError {
  constructor(message: string, options: PluginErrorOptions = {}) {
    super(message, { code: 'PLUGIN_LOAD_FAILED', ...options })
  }
}

/** The run was cancelled before it finished. */
export class CancelledError extends PluginError {
  constructor(message = 'Run was cancelled', options: PluginErrorOptions = {}) {
    super(message, { code: 'RUN_CANCELLED', ...options })
  }
}

/** Waiting for a run gave up; the run itself goes on. */
export class WaitTimeoutError extends PluginError {
  constructor(runId: string, timeoutMs: number, options: PluginErrorOptions = {}) {
    super(`Run '${runId}' did not finish within ${timeoutMs} ms`, {
      code: 'WAIT_TIMEOUT',
      retryable: true,
      ...options,
      details: { runId, timeoutMs, ...options.details },
    })
  }
}

/** Waiting for a run was aborted by the waiter's own signal; the run itself goes on. */
export class WaitAbortedError extends PluginError {
  constructor(runId: string, options: PluginErrorOptions = {}) {
    super(`Waiting for run '${runId}' was aborted`, {
      code: 'WAIT_ABORTED',
      ...options,
      details: { runId, ...options.details },
    })
  }
}

/**
 * A run id was submitted again with a different action or params. Resubmitting the same request
 * is idempotent; reusing an id for another request is a mistake that must not pass silently.
 */
export class RunConflictError extends PluginError {
  constructor(runId: string, reason: string, options: PluginErrorOptions = {}) {
    super(`Run '${runId}' already exists with ${reason}`, {
      code: 'RUN_CONFLICT',
      ...options,
      details: { runId, reason, ...options.details },
    })
  }
}

/** No run with that id is known to the executor. */
export class RunNotFoundError extends PluginError {
  constructor(runId: string, options: PluginErrorOptions = {}) {
    super(`Run '${runId}' not found`, {
      code: 'RUN_NOT_FOUND',
      ...options,
      details: { runId, ...options.details },
    })
  }
}

/** A required environment key is missing or has a value of the wrong shape. */
export class EnvironmentError extends PluginError {
  constructor(message: string, options: PluginErrorOptions = {}) {
    super(message, { code: 'ENV_INVALID', ...options })
  }
}

/** Two pipeline edges or a type adapter do not fit (output type vs input type or schema). */
export class SchemaIncompatibleError extends PluginError {
  constructor(message: string, options: PluginErrorOptions = {}) {
    super(message, { code: 'SCHEMA_INCOMPATIBLE', ...options })
  }
}

/** Publishing a plugin release failed. */
export class PluginUploadError extends PluginError {
  constructor(message: string, options: PluginErrorOptions = {}) {
    super(message, { code: 'PLUGIN_UPLOAD_FAILED', ...options })
  }
}

/** Packing a plugin archive failed. */
export class ArchiveError extends PluginError {
  constructor(message: string, options: PluginErrorOptions = {}) {
    super(message, { code: 'ARCHIVE_FAILED', ...options })
  }
}

/** Building a plugin failed. */
export class BuildError extends PluginError {
  constructor(message: string, options: PluginErrorOptions = {}) {
    super(message, { code: 'BUILD_FAILED', ...options })
  }
}

/** A downloaded or cached artifact does not match its recorded checksum. */
export class ChecksumMismatchError extends PluginError {
  constructor(message: string, options: PluginErrorOptions = {}) {
    super(message, { code: 'CHECKSUM_MISMATCH', ...options })
  }
}

/** Starting a plugin run failed before the action itself ran. */
export class PluginRunError extends PluginError {
  constructor(message: string, options: PluginErrorOptions = {}) {
    super(message, { code: 'PLUGIN_RUN_FAILED', ...options })
  }
}

// Revivers: an error that crossed a boundary comes back as its own class, not a bare PluginError.
// The message already carries any rendered detail, so revivers rebuild from details, then restore it.
function restore<T extends PluginError>(error: T, json: { message: string }): T {
  Object.defineProperty(error, 'message', {
    value: json.message,
    enumerable: false,
    writable: true,
  })
  return error
}

type Simple = new (message: string, options?: PluginErrorOptions) => PluginError
const simple: Record<string, Simple> = {
  ExecutionError,
  PluginLoadError,
  CancelledError,
  EnvironmentError,
  SchemaIncompatibleError,
  PluginUploadError,
  ArchiveError,
  BuildError,
  ChecksumMismatchError,
  PluginRunError,
}
for (const [name, Ctor] of Object.entries(simple)) {
  PluginError.register(
    name,
    (json) =>
      new Ctor(json.message, {
        code: json.code,
        details: json.details,
        retryable: json.retryable ?? false,
      }),
  )
}
for (const Ctor of [ValidationError, ConfigError]) {
  PluginError.register(Ctor.name, (json) => {
    const issues = (json.details?.['issues'] as ValidationIssue[] | undefined) ?? []
    const { issues: _omit, ...rest } = json.details ?? {}
    return restore(new Ctor(json.message, issues, { code: json.code, details: rest }), json)
  })
}
PluginError.register('ActionNotFoundError', (json) => {
  const d = json.details ?? {}
  const error = new ActionNotFoundError(
    String(d['action'] ?? ''),
    (d['available'] as string[]) ?? [],
  )
  return restore(error, json)
})
PluginError.register('WaitTimeoutError', (json) => {
  const d = json.details ?? {}
  return restore(new WaitTimeoutError(String(d['runId']), Number(d['timeoutMs'])), json)
})
PluginError.register('WaitAbortedError', (json) =>
  restore(new WaitAbortedError(String(json.details?.['runId'])), json),
)
PluginError.register('RunConflictError', (json) => {
  const d = json.details ?? {}
  return restore(new RunConflictError(String(d['runId']), String(d['reason'])), json)
})
PluginError.register('RunNotFoundError', (json) =>
  restore(new RunNotFoundError(String(json.details?.['runId'])), json),
)
