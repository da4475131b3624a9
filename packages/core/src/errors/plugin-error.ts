/**
 * The one error base class of Synapse. Every error the SDK raises is a `PluginError` with a
 * stable `code`, optional structured `details` and a `cause` chain, and survives a trip through
 * JSON: errors cross process, queue and network boundaries, and must come back as the same class.
 */

import type { ErrorCode } from './error-codes'

const BRAND = Symbol.for('synapse.error')

/** Plain JSON shape of a serialised error (and of its causes). */
export interface SerializedError {
  name: string
  code?: string
  message: string
  details?: Record<string, unknown>
  retryable?: boolean
  stack?: string
  cause?: SerializedError
}

/** What a {@link PluginError} carries besides its message. */
export interface PluginErrorOptions {
  code?: ErrorCode | undefined
  details?: Record<string, unknown> | undefined
  cause?: unknown
  retryable?: boolean
}

type ErrorReviver = (json: SerializedError) => PluginError

const revivers = new Map<string, ErrorReviver>()

/**
 * The base of every error Synapse raises, and the class plugins extend for their own. `code` is
 * stable (see `ERROR_CODES`); `details` is plain JSON; `cause` keeps the chain; `toJSON`
 * and {@link PluginError.fromJSON} carry it across processes as the same subclass.
 *
 * @example
 * class QuotaError extends PluginError {
 *   constructor(used: number) { super(`Quota used up (${used})`, { code: 'QUOTA_EXCEEDED', details: { used } }) }
 * }
 * PluginError.register('QuotaError', (json) => new QuotaError(Number(json.details?.used)))
 */
export class PluginError extends Error {
  /** Realm- and copy-safe check: two installed copies of core still recognise each other's errors. */
  static is(value: unknown): value is PluginError {
    return typeof value === 'object' && value !== null && BRAND in value
  }

  /**
   * Registers how to rebuild a subclass from JSON. Subclasses of core call it once at module load;
   * packages with their own error classes do the same so `fromJSON` returns their class.
   */
  static register(name: string, revive: ErrorReviver): void {
    revivers.set(name, revive)
  }

  /** Rebuilds an error serialised with {@link PluginError.toJSON}, including its cause chain. */
  static fromJSON(json: SerializedError): PluginError {
    const revive = revivers.get(json.name)
    const error = revive
      ? revive(json)
      : new PluginError(json.message, {
          code: json.code ?? 'PLUGIN_ERROR',
          details: json.details,
          retryable: json.retryable ?? false,
        })
    // Keep the original name (a subclass we do not know still reads as itself) and remote stack.
    Object.defineProperty(error, 'name', {
      value: json.name,
      enumerable: false,
      configurable: true,
    })
    if (json.stack !== undefined) error.stack = json.stack
    if (json.cause !== undefined) {
      Object.defineProperty(error, 'cause', {
        value: reviveCause(json.cause),
        enumerable: false,
        configurable: true,
        writable: true,
      })
    }
    return error
  }

  /** Wraps anything thrown into a PluginError, leaving PluginErrors untouched. */
  static from(value: unknown, code: ErrorCode = 'PLUGIN_ERROR'): PluginError {
    if (PluginError.is(value)) return value
    const message = value instanceof Error ? value.message : String(value)
    return new PluginError(message, { code, cause: value })
  }

  readonly [BRAND] = true
  readonly code: ErrorCode
  readonly details: Record<string, unknown>
  readonly retryable: boolean

  constructor(message: string, options: PluginErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = options.code ?? 'PLUGIN_ERROR'
    this.details = options.details ?? {}
    this.retryable = options.retryable ?? false
  }

  toJSON(): SerializedError {
    const json: SerializedError = {
      name: this.name,
      code: this.code,
      message: this.message,
      details: this.details,
      retryable: this.retryable,
    }
    if (this.stack !== undefined) json.stack = this.stack
    if (this.cause !== undefined) json.cause = serializeError(this.cause)
    return json
  }
}

/** Serialises any thrown value (PluginError, Error, or anything else) to {@link SerializedError}. */
export function serializeError(value: unknown): SerializedError {
  if (PluginError.is(value)) return value.toJSON()
  if (value instanceof Error) {
    const json: SerializedError = { name: value.name, message: value.message }
    const code = (value as { code?: unknown }).code
    if (typeof code === 'string') json.code = code
    if (value.stack !== undefined) json.stack = value.stack
    if (value.cause !== undefined) json.cause = serializeError(value.cause)
    return json
  }
  return { name: 'Error', message: typeof value === 'string' ? value : safeStringify(value) }
}

function reviveCause(json: SerializedError): Error {
  if (json.code !== undefined && (revivers.has(json.name) || json.details !== undefined)) {
    return PluginError.fromJSON(json)
  }
  const error = new Error(json.message)
  Object.defineProperty(error, 'name', { value: json.name, enumerable: false, configurable: true })
  if (json.code !== undefined) Object.assign(error, { code: json.code })
  if (json.stack !== undefined) error.stack = json.stack
  if (json.cause !== undefined) {
    Object.defineProperty(error, 'cause', { value: reviveCause(json.cause), enumerable: false })
  }
  return error
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
