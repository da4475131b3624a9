// @synapse/core — the public API, read as a table of contents.

export {
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
} from './errors/errors'
// Errors: one base class with stable codes, a cause chain and a JSON round trip.
export {
  PluginError,
  type PluginErrorOptions,
  type SerializedError,
  serializeError,
} from './errors/plugin-error'
