import { readFileSync } from 'node:fs'
import { parse as parseToml, TomlError } from 'smol-toml'
import { EnvironmentError } from '../errors/errors'
import { secretValuesOf } from '../logging/redact'

const TRUE_STRINGS = new Set(['true', '1', 'yes'])

/** True for a PluginEnvironment from any copy of core (plugins may bring their own). */
export function isPluginEnvironment(value: unknown): value is PluginEnvironment {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as PluginEnvironment).toObject === 'function' &&
    typeof (value as PluginEnvironment).getStr === 'function'
  )
}

/**
 * The environment an action sees: key → value, from the process environment, a TOML file, a
 * plugin's config, or a mix (later sources win). Getters parse values the way the spec says and
 * fail loudly, naming the key, when a value cannot be read as the type asked for.
 *
 * @example
 * const env = PluginEnvironment.merge(
 *   PluginEnvironment.fromFile('plugin.env.toml'),
 *   PluginEnvironment.fromEnviron('SYNAPSE_'),
 * )
 * const batch = env.getInt('BATCH_SIZE', 32)
 * const token = env.requireStr('ACCESS_TOKEN')
 */
export class PluginEnvironment {
  readonly #values: Map<string, unknown>

  constructor(values: Record<string, unknown> = {}) {
    this.#values = new Map(Object.entries(values))
  }

  /** Keys of `source` (default `process.env`) that start with `prefix`, with the prefix removed. */
  static fromEnviron(
    prefix = '',
    source: Record<string, string | undefined> = process.env,
  ): PluginEnvironment {
    const values: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(source)) {
      if (value === undefined || !key.startsWith(prefix)) continue
      const name = key.slice(prefix.length)
      if (name !== '') values[name] = value
    }
    return new PluginEnvironment(values)
  }

  /** Reads a TOML file. Nested tables stay nested. */
  static fromFile(path: string): PluginEnvironment {
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch (cause) {
      const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT'
      throw new EnvironmentError(
        missing ? `Config file not found: ${path}` : `Cannot read ${path}`,
        { code: missing ? 'ENV_FILE_NOT_FOUND' : 'ENV_FILE_UNREADABLE', cause, details: { path } },
      )
    }
    try {
      return new PluginEnvironment(parseToml(text) as Record<string, unknown>)
    } catch (cause) {
      const where = cause instanceof TomlError ? `${path}:${cause.line}:${cause.column}` : path
      const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause)
      throw new EnvironmentError(`Invalid TOML at ${where}: ${reason}`, {
        code: 'ENV_FILE_INVALID',
        cause,
        details: { path },
      })
    }
  }

  /** One environment from several; for a key set in more than one, the last wins. */
  static merge(
    ...envs: (PluginEnvironment | Record<string, unknown> | undefined)[]
  ): PluginEnvironment {
    const values: Record<string, unknown> = {}
    for (const env of envs) {
      if (env === undefined) continue
      Object.assign(values, isPluginEnvironment(env) ? env.toObject() : env)
    }
    return new PluginEnvironment(values)
  }

  has(key: string): boolean {
    return this.#values.get(key) !== undefined && this.#values.get(key) !== null
  }

  /** The raw value, or `fallback` when the key is unset or null. */
  get(key: string, fallback?: unknown): unknown {
    const value = this.#values.get(key)
    return value === undefined || value === null ? fallback : value
  }

  getStr(key: string): string | undefined
  getStr(key: string, fallback: string): string
  getStr(key: string, fallback?: string): string | undefined {
    return this.#read(key, fallback, (v) => (typeof v === 'string' ? v : String(v)))
  }

  getInt(key: string): number | undefined
  getInt(key: string, fallback: number): number
  getInt(key: string, fallback?: number): number | undefined {
    return this.#read(key, fallback, (v) => {
      if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v)
      if (typeof v === 'boolean') return v ? 1 : 0
      if (typeof v === 'string' && /^\s*[+-]?\d+(_\d+)*\s*$/.test(v)) {
        return Number.parseInt(v.replaceAll('_', ''), 10)
      }
      throw this.#typeError(key, v, 'an integer')
    })
  }

  getFloat(key: string): number | undefined
  getFloat(key: string, fallback: number): number
  getFloat(key: string, fallback?: number): number | undefined {
    return this.#read(key, fallback, (v) => {
      if (typeof v === 'number') return v
      if (typeof v === 'boolean') return v ? 1 : 0
      if (typeof v === 'string') {
        const s = v.trim().toLowerCase()
        if (/^[+-]?(inf|infinity)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity
        if (s === 'nan') return Number.NaN
        const n = Number(s.replaceAll('_', ''))
        if (s !== '' && !Number.isNaN(n)) return n
      }
      throw this.#typeError(key, v, 'a number')
    })
  }

  /** Booleans as is; strings are true when `true`, `1` or `yes` (any case); other values by truthiness. */
  getBool(key: string): boolean | undefined
  getBool(key: string, fallback: boolean): boolean
  getBool(key: string, fallback?: boolean): boolean | undefined {
    return this.#read(key, fallback, (v) => {
      if (typeof v === 'boolean') return v
      if (typeof v === 'string') return TRUE_STRINGS.has(v.trim().toLowerCase())
      if (Array.isArray(v)) return v.length > 0
      if (typeof v === 'object') return Object.keys(v as object).length > 0
      return Boolean(v)
    })
  }

  /** Arrays as is; strings split on commas, trimmed, empty items dropped; anything else → fallback. */
  getList(key: string): string[] | undefined
  getList(key: string, fallback: string[]): string[]
  getList(key: string, fallback?: string[]): string[] | undefined {
    const value = this.get(key)
    if (Array.isArray(value)) return value.map(String)
    if (typeof value === 'string') {
      return value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    }
    return fallback
  }

  requireStr(key: string): string {
    return this.getStr(key) ?? this.#missing(key)
  }
  requireInt(key: string): number {
    return this.getInt(key) ?? this.#missing(key)
  }
  requireFloat(key: string): number {
    return this.getFloat(key) ?? this.#missing(key)
  }
  requireBool(key: string): boolean {
    return this.getBool(key) ?? this.#missing(key)
  }
  requireList(key: string): string[] {
    return this.getList(key) ?? this.#missing(key)
  }

  keys(): string[] {
    return [...this.#values.keys()]
  }

  toObject(): Record<string, unknown> {
    return Object.fromEntries(this.#values)
  }

  /** Values under secret-looking keys: what loggers must mask. */
  secretValues(): string[] {
    return secretValuesOf(this.toObject())
  }

  /** String values only, for a child process's environment. */
  toEnvVars(): Record<string, string> {
    const out: Record<string, string> = {}
    for (const [k, v] of this.#values) {
      if (v === undefined || v === null) continue
      out[k] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v)
    }
    return out
  }

  #read<T>(key: string, fallback: T | undefined, parse: (value: unknown) => T): T | undefined {
    const value = this.#values.get(key)
    return value === undefined || value === null ? fallback : parse(value)
  }

  #missing(key: string): never {
    throw new EnvironmentError(`Required environment key '${key}' is not set`, {
      code: 'ENV_MISSING_KEY',
      details: { key },
    })
  }

  #typeError(key: string, value: unknown, expected: string): EnvironmentError {
    // Never echo the value itself: it may be a secret.
    return new EnvironmentError(`Environment key '${key}' is not ${expected}`, {
      code: 'ENV_INVALID_VALUE',
      details: { key, expected, type: typeof value },
    })
  }
}
