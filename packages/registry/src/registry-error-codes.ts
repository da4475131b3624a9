import { type ErrorKind, registerErrorCodes } from '@synapse/core'

/**
 * Stable codes of `@synapse/registry` errors, besides core's `VERSION_EXISTS`,
 * `RELEASE_NOT_FOUND`, `INVALID_PLUGIN_REF`, `CHECKSUM_MISMATCH` and `ARCHIVE_FAILED`.
 *
 * - `UNSAFE_ARCHIVE_ENTRY`: an archive entry would land outside the target directory (failure).
 * - `REGISTRY_UNAUTHORIZED`: an HTTP registry refused the token, or none was given (input).
 * - `REGISTRY_UNREACHABLE`: no answer from an HTTP registry (failure).
 * - `REGISTRY_REQUEST_FAILED`: an HTTP registry answered with an error it did not explain (failure).
 * - `REGISTRY_CORRUPT`: a registry directory holds a record that cannot be read back (failure).
 */
export const REGISTRY_ERROR_KINDS = {
  UNSAFE_ARCHIVE_ENTRY: 'failure',
  REGISTRY_UNAUTHORIZED: 'input',
  REGISTRY_UNREACHABLE: 'failure',
  REGISTRY_REQUEST_FAILED: 'failure',
  REGISTRY_CORRUPT: 'failure',
} as const satisfies Record<string, ErrorKind>

/** A code of {@link REGISTRY_ERROR_KINDS}. */
export type RegistryErrorCode = keyof typeof REGISTRY_ERROR_KINDS

registerErrorCodes(REGISTRY_ERROR_KINDS)
