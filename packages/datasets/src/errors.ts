import {
  type ErrorKind,
  PluginError,
  type PluginErrorOptions,
  registerErrorCodes,
} from '@synapse/core'

/**
 * Stable codes of dataset errors. The CLI and callers switch on these, never on messages.
 * `DATASET_PARSE_ERROR`: the file is not well-formed JSON/XML/YAML/text.
 * `DATASET_SCHEMA_ERROR`: well-formed, but a value has the wrong type or shape.
 * `DATASET_REFERENCE_ERROR`: an id points at nothing (unknown image, class or category).
 * `DATASET_RANGE_ERROR`: a value is out of its allowed range (normalised values outside [0, 1]).
 * `DATASET_IO_ERROR`: a file or folder cannot be read or written.
 * `DATASET_LOSS_STRICT`: `strict` was set and the target cannot hold something the source has.
 * `DATASET_LAYOUT_ERROR`: the input folder does not look like the format it was declared as.
 * `DATASET_OPTION_ERROR`: the options contradict each other or the data.
 * `DATASET_VERIFY_ERROR`: `verify` read the output back and found a difference the loss report
 *   does not account for.
 * `DATASET_PATH_ERROR`: a name from the input (split, image file name) would become a path
 *   outside the output folder (absolute, climbing with `..`, or through a symlink).
 */
export const DATASET_ERROR_CODES = [
  'DATASET_PARSE_ERROR',
  'DATASET_SCHEMA_ERROR',
  'DATASET_REFERENCE_ERROR',
  'DATASET_RANGE_ERROR',
  'DATASET_IO_ERROR',
  'DATASET_LOSS_STRICT',
  'DATASET_LAYOUT_ERROR',
  'DATASET_OPTION_ERROR',
  'DATASET_PATH_ERROR',
  'DATASET_VERIFY_ERROR',
] as const
export type DatasetErrorCode = (typeof DATASET_ERROR_CODES)[number]

/**
 * What each code tells a caller: malformed or contradictory input, and a name that would leave
 * the output folder, are bad input (nothing was written); an I/O failure, a strict conversion
 * that would lose data and an output that fails verification are failures.
 */
const DATASET_ERROR_KINDS: Record<DatasetErrorCode, ErrorKind> = {
  DATASET_PARSE_ERROR: 'input',
  DATASET_SCHEMA_ERROR: 'input',
  DATASET_REFERENCE_ERROR: 'input',
  DATASET_RANGE_ERROR: 'input',
  DATASET_IO_ERROR: 'failure',
  DATASET_LOSS_STRICT: 'failure',
  DATASET_LAYOUT_ERROR: 'input',
  DATASET_OPTION_ERROR: 'input',
  DATASET_PATH_ERROR: 'input',
  DATASET_VERIFY_ERROR: 'failure',
}
registerErrorCodes(DATASET_ERROR_KINDS)

/** Where in the input an error was found. Every field is optional; `file` is almost always set. */
export interface DatasetErrorLocation {
  file?: string | undefined
  line?: number | undefined
  column?: number | undefined
  jsonPath?: string | undefined
}

export interface DatasetErrorOptions extends PluginErrorOptions, DatasetErrorLocation {}

/**
 * The one error class of `@synapse/datasets`: a {@link PluginError} whose `details` carry the
 * location (`file`, `line`, `column`, `jsonPath`) so a message can point at the exact spot.
 */
export class DatasetError extends PluginError {
  readonly file: string | undefined
  readonly line: number | undefined
  readonly column: number | undefined
  readonly jsonPath: string | undefined

  constructor(code: DatasetErrorCode, message: string, options: DatasetErrorOptions = {}) {
    const { file, line, column, jsonPath, ...rest } = options
    const where = formatLocation({ file, line, column, jsonPath })
    const details: Record<string, unknown> = { ...rest.details }
    if (file !== undefined) details['file'] = file
    if (line !== undefined) details['line'] = line
    if (column !== undefined) details['column'] = column
    if (jsonPath !== undefined) details['jsonPath'] = jsonPath
    super(where === '' ? message : `${where}: ${message}`, { ...rest, code, details })
    this.file = file
    this.line = line
    this.column = column
    this.jsonPath = jsonPath
  }

  /** The bare message, without the location prefix. */
  get reason(): string {
    const where = formatLocation(this)
    return where !== '' && this.message.startsWith(`${where}: `)
      ? this.message.slice(where.length + 2)
      : this.message
  }
}

/** `file:line:column jsonPath`, leaving out what is unknown. */
export function formatLocation(loc: DatasetErrorLocation): string {
  let out = loc.file ?? ''
  if (loc.line !== undefined) {
    out += `:${loc.line}`
    if (loc.column !== undefined) out += `:${loc.column}`
  }
  if (loc.jsonPath !== undefined) out += out === '' ? loc.jsonPath : ` ${loc.jsonPath}`
  return out
}

/** True for a {@link DatasetError}, also across two installed copies of this package. */
export function isDatasetError(value: unknown): value is DatasetError {
  return PluginError.is(value) && value.name === 'DatasetError'
}

PluginError.register('DatasetError', (json) => {
  const details = json.details ?? {}
  const code = (DATASET_ERROR_CODES as readonly string[]).includes(json.code ?? '')
    ? (json.code as DatasetErrorCode)
    : 'DATASET_PARSE_ERROR'
  const { file, line, column, jsonPath, ...rest } = details as Record<string, unknown>
  const error = new DatasetError(code, json.message, {
    details: rest,
    file: typeof file === 'string' ? file : undefined,
    line: typeof line === 'number' ? line : undefined,
    column: typeof column === 'number' ? column : undefined,
    jsonPath: typeof jsonPath === 'string' ? jsonPath : undefined,
    retryable: json.retryable ?? false,
  })
  // The serialised message already holds the location prefix; do not add it twice.
  Object.defineProperty(error, 'message', {
    value: json.message,
    enumerable: false,
    writable: true,
  })
  return error
})

/**
 * System errors (ENOENT, EACCES, ENOSPC, …) that escape a reader or writer become
 * `DATASET_IO_ERROR`s naming the path; anything else (aborts, bugs) passes through unchanged.
 */
export function wrapSystemError(error: unknown): unknown {
  if (error instanceof DatasetError || !(error instanceof Error)) return error
  const sys = error as NodeJS.ErrnoException
  if (typeof sys.code !== 'string' || typeof sys.syscall !== 'string') return error
  return new DatasetError('DATASET_IO_ERROR', `${sys.syscall} failed: ${sys.code}`, {
    file: sys.path,
    cause: error,
    details: { errno: sys.code },
  })
}
