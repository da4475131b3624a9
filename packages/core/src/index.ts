// @synapse/core — the public API, read as a table of contents.

// Actions: two ways to write one, one shape once defined.
export {
  ACTION_DEFINITION,
  type ActionDefinition,
  type ActionMeta,
  type AnyActionDefinition,
  isActionDefinition,
  type ResultValidation,
  withDefaults,
} from './action/action-definition'
export {
  ACTION_CLASS,
  type ActionClass,
  actionFromClass,
  BaseAction,
  isActionClass,
  resolveAction,
  resolveRequest,
} from './action/base-action'
export { ANY_PARAMS, defineAction } from './action/define-action'
export { invokeAction } from './action/invoke-action'
export { toValidationIssues, validateParams, validateResult } from './action/validate'
export {
  type DecodedLine,
  decodeEventLine,
  EVENT_LINE_MARKER,
  EventLineDecoder,
  encodeEventLine,
} from './codec/event-line'
// Runs that leave the process: the spec that travels, JSON on the wire, results revived.
export { type JsonValue, toJsonValue, toReportedJsonValue } from './codec/json-value'
export { reviveResult } from './codec/revive-result'
// config.yaml
export {
  type LoadedConfig,
  loadPluginConfig,
  parsePluginConfig,
  resolveConfigPath,
} from './config/load-config'
export {
  type ActionConfig,
  ActionConfigSchema,
  ENTRYPOINT_PATTERN,
  type PluginConfig,
  PluginConfigSchema,
} from './config/plugin-config'
export { parseYamlSource, type YamlSource } from './config/yaml-source'
// Runtime context and environment
export { isPluginEnvironment, PluginEnvironment } from './context/plugin-environment'
export {
  type BackendClient,
  type Checkpoint,
  RuntimeContext,
  type RuntimeContextInit,
} from './context/runtime-context'
// Discovery
export { actionNameOf } from './discovery/action-name'
export { importPluginModule, parseEntrypoint, resolveModuleFile } from './discovery/load-module'
export { type ActionSource, PluginDiscovery } from './discovery/plugin-discovery'
// Enums
export {
  ACTION_DEFAULT_METHODS,
  AnnotationCategory,
  AnnotationType,
  DataKind,
  defaultMethodFor,
  enumValues,
  isTerminalStatus,
  LOG_LEVEL_SEVERITY,
  LogLevel,
  PackageManager,
  PluginCategory,
  RunMethod,
  RunStatus,
  SmartToolType,
  type TerminalRunStatus,
} from './enums'
// Errors: one base class with stable codes, a cause chain and a JSON round trip.
export {
  type CoreErrorCode,
  ERROR_CODES,
  type ErrorCode,
  type ErrorKind,
  errorKindOf,
  registerErrorCodes,
} from './errors/error-codes'
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
  RunConflictError,
  RunNotFoundError,
  SchemaIncompatibleError,
  ValidationError,
  type ValidationIssue,
  WaitAbortedError,
  WaitTimeoutError,
} from './errors/errors'
export {
  PluginError,
  type PluginErrorOptions,
  type SerializedError,
  serializeError,
} from './errors/plugin-error'
// Executors: the protocol every executor keeps, and what they share.
export { EventLog } from './executor/event-log'
export { executeViaSubmit } from './executor/execute-via-submit'
export type {
  CancelOptions,
  CancelOutcome,
  EventsOptions,
  ExecuteOptions,
  ExecutorProtocol,
  ResolvedRunRequest,
  RunInfo,
  RunOutcome,
  RunRequest,
  WaitOptions,
} from './executor/executor-protocol'
export { ExecutorRegistry } from './executor/executor-registry'
export { type FollowRunOptions, followRun, outcomeError } from './executor/follow-run'
export { raceWait } from './executor/race-wait'
export { isValidRunId } from './executor/run-id'
export { type RunPluginOptions, resolvePluginPath, runPlugin } from './executor/run-plugin'
// Logging: RunEvents, the run logger, and sinks.
export type { Logger, LogOptions, ProgressState } from './logging/logger'
export { redact, redactError, SECRET_KEY_PATTERN, secretValuesOf } from './logging/redact'
export type {
  ErrorEventBody,
  LogEventBody,
  MetricsEventBody,
  ProgressEventBody,
  ResultEventBody,
  RunEvent,
  RunEventBody,
  RunEventHeader,
  RunEventSink,
  RunEventType,
  StatusEventBody,
} from './logging/run-event'
export { RunEventSchema, SerializedErrorSchema } from './logging/run-event-schema'
export { DEFAULT_CATEGORY, RunLogger, type RunLoggerOptions } from './logging/run-logger'
export { MemorySink } from './logging/sinks/memory-sink'
// Registries: plugins published as archives and run by code@version.
export {
  type PluginInstaller,
  type PluginRegistry,
  type PluginRelease,
  type PublishMeta,
  REGISTRY_ENV,
  type ResolvedArchive,
} from './registry/plugin-registry'
export {
  assertPluginRef,
  isPluginSpecifier,
  PLUGIN_CODE_PATTERN,
  PLUGIN_VERSION_PATTERN,
  parsePluginSpecifier,
} from './registry/plugin-specifier'
export {
  createRunSpec,
  loadRunSpec,
  type PluginRef,
  parseRunSpec,
  type RunSpec,
  RunSpecSchema,
} from './run/run-spec'
// Schemas for other tools: JSON Schema, and the form a UI renders to collect params.
export { type JsonSchema, type SchemaSide, toJsonSchema } from './schema/json-schema'
export { EXCLUDE_FROM_UI, toUiSchema, type UiOption, type UiSchemaNode } from './schema/ui-schema'
export { runInfoOf } from './store/run-info-of'
// The run store: runs and their events outlive the process.
export type {
  NewRunRecord,
  ReadEventsOptions,
  RunFilter,
  RunRecord,
  RunStore,
} from './store/run-store'
export { RunStoreSink } from './store/run-store-sink'
// Semantic data types
export {
  type DataType,
  DataTypeRegistry,
  DataTypes,
  defaultDataTypes,
  defineDataType,
  isCompatibleWith,
  isSubtypeOf,
} from './types/data-type'
// Type adapters: conversions between semantic types, registered by those who can convert.
export {
  defaultTypeAdapters,
  type FindAdapterOptions,
  type LossReport,
  type TypeAdapter,
  type TypeAdapterContext,
  type TypeAdapterOutput,
  TypeAdapterRegistry,
} from './types/type-adapter-registry'
