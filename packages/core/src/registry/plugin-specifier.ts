import { PluginError } from '../errors/plugin-error'

/** What a plugin code may be: lowercase letters, digits and dashes, as config.yaml requires. */
export const PLUGIN_CODE_PATTERN = /^[a-z0-9][a-z0-9-]*[a-z0-9]$|^[a-z0-9]$/

/**
 * What a version may be: semver-like characters only, starting with a letter or digit. No `/`,
 * no `..`, so a version is always safe as one path segment.
 */
export const PLUGIN_VERSION_PATTERN = /^[0-9A-Za-z](?:[0-9A-Za-z+_-]|\.(?!\.)){0,63}$/

/** True for a string that names a registry release (`code@version`) rather than a path. */
export function isPluginSpecifier(value: string): boolean {
  const at = value.lastIndexOf('@')
  return (
    at > 0 &&
    PLUGIN_CODE_PATTERN.test(value.slice(0, at)) &&
    PLUGIN_VERSION_PATTERN.test(value.slice(at + 1))
  )
}

/** Checks a code and a version before either goes near a path or a URL. */
export function assertPluginRef(code: string, version?: string): void {
  if (!PLUGIN_CODE_PATTERN.test(code)) {
    throw new PluginError(
      `Invalid plugin code ${JSON.stringify(code)}: must be lowercase letters, digits and dashes`,
      { code: 'INVALID_PLUGIN_REF', details: { code } },
    )
  }
  if (version !== undefined && !PLUGIN_VERSION_PATTERN.test(version)) {
    throw new PluginError(
      `Invalid plugin version ${JSON.stringify(version)}: must be letters, digits, '.', '-', '+' or '_', starting with a letter or digit`,
      { code: 'INVALID_PLUGIN_REF', details: { version } },
    )
  }
}

/** `code@version` → its parts; throws `INVALID_PLUGIN_REF` naming the bad part. */
export function parsePluginSpecifier(value: string): { code: string; version: string } {
  const at = value.lastIndexOf('@')
  if (at <= 0 || at === value.length - 1) {
    throw new PluginError(
      `Invalid plugin reference ${JSON.stringify(value)}: expected code@version`,
      { code: 'INVALID_PLUGIN_REF', details: { plugin: value } },
    )
  }
  const code = value.slice(0, at)
  const version = value.slice(at + 1)
  assertPluginRef(code, version)
  return { code, version }
}
