import { describe, expect, it } from 'vitest'
import {
  ActionNotFoundError,
  ArchiveError,
  BuildError,
  CancelledError,
  ChecksumMismatchError,
  ConfigError,
  EnvironmentError,
  ExecutionError,
  formatIssuePath,
  PluginLoadError,
  PluginRunError,
  PluginUploadError,
  RunNotFoundError,
  SchemaIncompatibleError,
  ValidationError,
  type ValidationIssue,
  WaitTimeoutError,
} from './errors'
import { PluginError, type SerializedError, serializeError } from './plugin-error'

/** What crosses a process boundary: JSON text, parsed back. */
function roundTrip(error: PluginError): PluginError {
  return PluginError.fromJSON(JSON.parse(JSON.stringify(error)) as SerializedError)
}

const issues: ValidationIssue[] = [
  { path: ['epochs'], message: 'Expected number, received string', code: 'invalid_type' },
  { path: ['splits', 1, 'name'], message: 'Required', location: 'config.yaml:4:3' },
]

// Every subclass, built as user code would, with the class and code it must come back as.
const cases: { error: PluginError; Ctor: abstract new (...args: never[]) => PluginError }[] = [
  {
    error: new PluginError('base', { code: 'CUSTOM', details: { a: 1 } }),
    Ctor: PluginError,
  },
  {
    error: new ValidationError('bad input', issues, { details: { action: 'x' } }),
    Ctor: ValidationError,
  },
  { error: new ConfigError('bad config', issues, { details: { path: '/p' } }), Ctor: ConfigError },
  { error: new ActionNotFoundError('trian', ['train', 'test']), Ctor: ActionNotFoundError },
  { error: new ExecutionError('boom', { details: { action: 'train' } }), Ctor: ExecutionError },
  { error: new PluginLoadError('no module', { code: 'MODULE_NOT_FOUND' }), Ctor: PluginLoadError },
  { error: new CancelledError(), Ctor: CancelledError },
  { error: new WaitTimeoutError('run-1', 250), Ctor: WaitTimeoutError },
  { error: new RunNotFoundError('run-2'), Ctor: RunNotFoundError },
  { error: new EnvironmentError('env', { code: 'ENV_MISSING_KEY' }), Ctor: EnvironmentError },
  { error: new SchemaIncompatibleError('edge'), Ctor: SchemaIncompatibleError },
  { error: new PluginUploadError('upload'), Ctor: PluginUploadError },
  { error: new ArchiveError('archive'), Ctor: ArchiveError },
  { error: new BuildError('build'), Ctor: BuildError },
  {
    error: new ChecksumMismatchError('sum', { details: { want: 'a', got: 'b' } }),
    Ctor: ChecksumMismatchError,
  },
  { error: new PluginRunError('run', { retryable: true }), Ctor: PluginRunError },
]

describe('PluginError JSON round trip', () => {
  it.each(cases.map((c) => [c.error.name, c] as const))('%s comes back as itself', (_, c) => {
    const revived = roundTrip(c.error)
    expect(revived).toBeInstanceOf(c.Ctor)
    expect(revived).toBeInstanceOf(PluginError)
    expect(revived.name).toBe(c.error.name)
    expect(revived.code).toBe(c.error.code)
    expect(revived.message).toBe(c.error.message)
    expect(revived.details).toEqual(c.error.details)
    expect(revived.retryable).toBe(c.error.retryable)
    expect(revived.stack).toBe(c.error.stack)
  })

  it('keeps the default codes of each class', () => {
    expect(cases.map((c) => [c.error.name, c.error.code])).toEqual([
      ['PluginError', 'CUSTOM'],
      ['ValidationError', 'VALIDATION_ERROR'],
      ['ConfigError', 'CONFIG_INVALID'],
      ['ActionNotFoundError', 'ACTION_NOT_FOUND'],
      ['ExecutionError', 'EXECUTION_FAILED'],
      ['PluginLoadError', 'MODULE_NOT_FOUND'],
      ['CancelledError', 'RUN_CANCELLED'],
      ['WaitTimeoutError', 'WAIT_TIMEOUT'],
      ['RunNotFoundError', 'RUN_NOT_FOUND'],
      ['EnvironmentError', 'ENV_MISSING_KEY'],
      ['SchemaIncompatibleError', 'SCHEMA_INCOMPATIBLE'],
      ['PluginUploadError', 'PLUGIN_UPLOAD_FAILED'],
      ['ArchiveError', 'ARCHIVE_FAILED'],
      ['BuildError', 'BUILD_FAILED'],
      ['ChecksumMismatchError', 'CHECKSUM_MISMATCH'],
      ['PluginRunError', 'PLUGIN_RUN_FAILED'],
    ])
  })

  it('revives the issues of ValidationError and ConfigError, message not doubled', () => {
    for (const error of [new ValidationError('bad', issues), new ConfigError('bad', issues)]) {
      const revived = roundTrip(error) as ValidationError
      expect(revived.issues).toEqual(issues)
      expect(revived.message).toBe(error.message)
      // The rendered issue lines appear once, not once per trip.
      expect(revived.message.match(/splits\[1\]\.name/g)).toHaveLength(1)
      expect(roundTrip(revived).message).toBe(error.message)
    }
  })

  it('keeps a caller-chosen code on ValidationError (INVALID_PARAMS)', () => {
    const revived = roundTrip(new ValidationError('bad', issues, { code: 'INVALID_PARAMS' }))
    expect(revived).toBeInstanceOf(ValidationError)
    expect(revived.code).toBe('INVALID_PARAMS')
  })

  it('keeps the specific fields of ActionNotFoundError and WaitTimeoutError', () => {
    const notFound = roundTrip(new ActionNotFoundError('trian', ['train', 'test']))
    expect(notFound).toBeInstanceOf(ActionNotFoundError)
    expect((notFound as ActionNotFoundError).available).toEqual(['train', 'test'])
    expect(notFound.message).toContain('Available actions: train, test')
    const timeout = roundTrip(new WaitTimeoutError('run-1', 250))
    expect(timeout.details).toEqual({ runId: 'run-1', timeoutMs: 250 })
    expect(timeout.retryable).toBe(true)
  })

  it('revives the cause chain, PluginError causes as their class and plain Errors as Errors', () => {
    const root = new TypeError('socket hang up')
    Object.assign(root, { code: 'ECONNRESET' })
    const middle = new PluginLoadError('cannot import', { cause: root, details: { file: 'a.ts' } })
    const top = new ExecutionError('action failed', { cause: middle })

    const revived = roundTrip(top)
    expect(revived).toBeInstanceOf(ExecutionError)
    const cause1 = revived.cause
    expect(cause1).toBeInstanceOf(PluginLoadError)
    expect((cause1 as PluginLoadError).details).toEqual({ file: 'a.ts' })
    expect((cause1 as PluginLoadError).code).toBe('PLUGIN_LOAD_FAILED')
    const cause2 = (cause1 as Error).cause
    expect(cause2).toBeInstanceOf(Error)
    expect(PluginError.is(cause2)).toBe(false)
    expect((cause2 as Error).name).toBe('TypeError')
    expect((cause2 as Error).message).toBe('socket hang up')
    expect((cause2 as { code?: string }).code).toBe('ECONNRESET')
    expect((cause2 as Error).stack).toBe(root.stack)
  })

  it('revives a cause that is a ValidationError with its issues', () => {
    const revived = roundTrip(
      new ExecutionError('failed', { cause: new ValidationError('inner', issues) }),
    )
    expect(revived.cause).toBeInstanceOf(ValidationError)
    expect((revived.cause as ValidationError).issues).toEqual(issues)
  })

  it('serialises non-Error causes as messages', () => {
    const json = serializeError(new ExecutionError('x', { cause: 'just a string' }))
    expect(json.cause).toEqual({ name: 'Error', message: 'just a string' })
    expect(serializeError({ weird: 1 })).toEqual({ name: 'Error', message: '{"weird":1}' })
    const circular: Record<string, unknown> = {}
    circular['self'] = circular
    expect(serializeError(circular).message).toBe('[object Object]')
  })

  it('keeps the name of a subclass nobody registered', () => {
    class QuotaError extends PluginError {}
    const revived = roundTrip(new QuotaError('over quota', { code: 'QUOTA' }))
    expect(revived).toBeInstanceOf(PluginError)
    expect(revived.name).toBe('QuotaError')
    expect(revived.code).toBe('QUOTA')
  })

  it('uses a registered reviver for a package-defined class', () => {
    class DatasetError extends PluginError {
      constructor(message: string, options: { details?: Record<string, unknown> } = {}) {
        super(message, { code: 'DATASET_INVALID', ...options })
      }
    }
    PluginError.register(
      'DatasetError',
      (json) => new DatasetError(json.message, { details: json.details ?? {} }),
    )
    const revived = roundTrip(new DatasetError('bad label', { details: { line: 3 } }))
    expect(revived).toBeInstanceOf(DatasetError)
    expect(revived.details).toEqual({ line: 3 })
  })
})

describe('PluginError.is and from', () => {
  it('recognises errors of another copy of core by the Symbol.for brand', () => {
    const foreign = Object.assign(new Error('from another copy'), {
      [Symbol.for('synapse.error')]: true,
      code: 'EXECUTION_FAILED',
    })
    expect(foreign instanceof PluginError).toBe(false)
    expect(PluginError.is(foreign)).toBe(true)
    expect(PluginError.from(foreign)).toBe(foreign)
  })

  it('rejects look-alikes without the brand', () => {
    expect(PluginError.is(new Error('plain'))).toBe(false)
    expect(PluginError.is({ code: 'X', message: 'y' })).toBe(false)
    expect(PluginError.is(null)).toBe(false)
    expect(PluginError.is('PluginError')).toBe(false)
  })

  it('wraps anything else, keeping it as cause', () => {
    const plain = new RangeError('out of range')
    const wrapped = PluginError.from(plain, 'WRAPPED')
    expect(wrapped).toBeInstanceOf(PluginError)
    expect(wrapped.code).toBe('WRAPPED')
    expect(wrapped.message).toBe('out of range')
    expect(wrapped.cause).toBe(plain)
    expect(PluginError.from(42).message).toBe('42')
  })
})

describe('formatIssuePath', () => {
  it('renders dots and indexes, and (root) for the empty path', () => {
    expect(formatIssuePath([])).toBe('(root)')
    expect(formatIssuePath(['a', 'b', 0, 'c'])).toBe('a.b[0].c')
    expect(formatIssuePath([2, 'x'])).toBe('[2].x')
  })

  it('shows every issue with its location and path in the message', () => {
    const error = new ValidationError('Invalid params', issues)
    expect(error.message).toBe(
      'Invalid params\n  - epochs: Expected number, received string\n  - config.yaml:4:3 splits[1].name: Required',
    )
    expect(error.details['issues']).toEqual(issues)
  })
})
