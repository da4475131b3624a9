import { PluginError, serializeError } from '../errors/plugin-error'
/** Env keys whose values are secrets and must never reach a log. */
export const SECRET_KEY_PATTERN = /token|secret|passw(or)?d|key|credential/i

const MASK = '[redacted]'

/**
 * Whether a key inside logged data names a secret. Stricter than {@link SECRET_KEY_PATTERN}, which
 * is for env keys: data keys are matched word by word (camelCase, snake_case, kebab-case), so
 * `api_key`, `authToken` and `Password` are masked but `key` (logMetric's field), `keypoints`,
 * `tokenizer` and `max_tokens` are not.
 */
function isSecretDataKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '')
  return words.some(
    (word, i) => SECRET_WORDS.has(word) || (word === 'key' && i > 0) || word === 'apikey',
  )
}
const SECRET_WORDS = new Set(['token', 'secret', 'password', 'passwd', 'credential', 'credentials'])

/** The values of `env` that sit under secret-looking keys (short values are skipped: too common). */
export function secretValuesOf(env: Record<string, unknown>): string[] {
  const values: string[] = []
  for (const [key, value] of Object.entries(env)) {
    if (!SECRET_KEY_PATTERN.test(key)) continue
    if (typeof value === 'string' && value.length >= 4) values.push(value)
  }
  // Longest first, so a secret that contains another is masked whole.
  return values.sort((a, b) => b.length - a.length)
}

/**
 * Returns `value` with every occurrence of a secret replaced, and values under secret-looking
 * keys masked. Copies only what it changes.
 */
export function redact<T>(value: T, secrets: readonly string[]): T {
  return redactValue(value, secrets, 0) as T
}

function redactValue(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return redactString(value, secrets)
  if (value === null || typeof value !== 'object' || depth > 32) return value
  if (Array.isArray(value)) {
    let out: unknown[] | undefined
    value.forEach((item, i) => {
      const next = redactValue(item, secrets, depth + 1)
      if (next !== item) {
        out ??= [...value]
        out[i] = next
      }
    })
    return out ?? value
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
    return value
  }
  let out: Record<string, unknown> | undefined
  for (const [key, item] of Object.entries(value)) {
    const next =
      isSecretDataKey(key) && typeof item === 'string'
        ? MASK
        : redactValue(item, secrets, depth + 1)
    if (next !== item) {
      out ??= { ...(value as Record<string, unknown>) }
      out[key] = next
    }
  }
  return out ?? value
}

function redactString(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(MASK)
  }
  return out
}

/**
 * An error with every secret masked in its message, details, stack and causes: the same class
 * and code (rebuilt through its JSON form), or the error itself when no secret appears in it.
 */
export function redactError(error: unknown, secrets: readonly string[]): PluginError {
  const failure = PluginError.from(error)
  if (secrets.length === 0) return failure
  const json = serializeError(failure)
  const masked = redact(json, secrets)
  return masked === json ? failure : PluginError.fromJSON(masked)
}
