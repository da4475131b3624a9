// @synapse/core — the public API, read as a table of contents.

// Errors: one base class with stable codes, a cause chain and a JSON round trip.
export {
  PluginError,
  serializeError,
  type PluginErrorOptions,
  type SerializedError,
} from './errors/plugin-error'
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
  WaitTimeoutError,
  type ValidationIssue,
} from './errors/errors'
