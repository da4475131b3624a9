import { PluginError } from '../errors/plugin-error'

/**
 * The `PluginError` that `fn` throws, for assertions on its code and message. Throws itself when
 * `fn` returns, or throws something that is not a PluginError, so the test fails there.
 *
 * @example
 * expect(thrownError(() => parseRunSpec({})).code).toBe('INVALID_RUN_SPEC')
 */
export function thrownError(fn: () => unknown): PluginError {
  try {
    fn()
  } catch (error) {
    if (PluginError.is(error)) return error
    throw error
  }
  throw new Error('expected a PluginError to be thrown, but nothing was')
}
