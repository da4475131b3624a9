/**
 * The SDK's enumerations, as `as const` objects with a union type of the same name: they read
 * like enums, cost nothing at run time, and their values are the strings config.yaml uses.
 */

type ValueOf<T> = T[keyof T]

/** What a plugin is for (`category` in config.yaml). */
export const PluginCategory = {
  NEURAL_NET: 'neural_net',
  EXPORT: 'export',
  UPLOAD: 'upload',
  SMART_TOOL: 'smart_tool',
  POST_ANNOTATION: 'post_annotation',
  PRE_ANNOTATION: 'pre_annotation',
  DATA_VALIDATION: 'data_validation',
  CUSTOM: 'custom',
} as const
export type PluginCategory = ValueOf<typeof PluginCategory>

/** How a platform runs an action: as a job, a task on a warm worker, a served endpoint, or REST. */
export const RunMethod = { JOB: 'job', TASK: 'task', SERVE: 'serve', RESTAPI: 'restapi' } as const
export type RunMethod = ValueOf<typeof RunMethod>

/** How a plugin's dependencies are installed (`package_manager` in config.yaml). */
export const PackageManager = {
  PIP: 'pip',
  UV: 'uv',
  NPM: 'npm',
  PNPM: 'pnpm',
  YARN: 'yarn',
} as const
export type PackageManager = ValueOf<typeof PackageManager>

/** The kind of data a plugin works on (`data_type` in config.yaml). */
export const DataKind = {
  IMAGE: 'image',
  TEXT: 'text',
  VIDEO: 'video',
  PCD: 'pcd',
  AUDIO: 'audio',
} as const
export type DataKind = ValueOf<typeof DataKind>

/** The kind of annotation task a plugin works on. */
export const AnnotationCategory = {
  OBJECT_DETECTION: 'object_detection',
  CLASSIFICATION: 'classification',
  SEGMENTATION: 'segmentation',
  KEYPOINT: 'keypoint',
  TEXT: 'text',
} as const
export type AnnotationCategory = ValueOf<typeof AnnotationCategory>

/** The geometry of one annotation. */
export const AnnotationType = {
  BBOX: 'bbox',
  POLYGON: 'polygon',
  POINT: 'point',
  LINE: 'line',
  MASK: 'mask',
  LABEL: 'label',
} as const
export type AnnotationType = ValueOf<typeof AnnotationType>

/** How a smart tool interacts with the annotator. */
export const SmartToolType = {
  INTERACTIVE: 'interactive',
  AUTOMATIC: 'automatic',
  SEMI_AUTOMATIC: 'semi_automatic',
} as const
export type SmartToolType = ValueOf<typeof SmartToolType>

/** Log levels, lowest first. */
export const LogLevel = {
  DEBUG: 'debug',
  INFO: 'info',
  SUCCESS: 'success',
  WARNING: 'warning',
  DANGER: 'danger',
  ERROR: 'error',
  CRITICAL: 'critical',
} as const
export type LogLevel = ValueOf<typeof LogLevel>

/** Numeric severity of each level (pino-compatible spacing), for filtering. */
export const LOG_LEVEL_SEVERITY: Readonly<Record<LogLevel, number>> = {
  debug: 20,
  info: 30,
  success: 32,
  warning: 40,
  danger: 45,
  error: 50,
  critical: 60,
}

/** Life cycle of a run. `completed`, `failed` and `cancelled` are terminal. */
export const RunStatus = {
  PENDING: 'pending',
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
} as const
export type RunStatus = ValueOf<typeof RunStatus>

/** The statuses a run ends in; nothing follows them. */
export type TerminalRunStatus = 'completed' | 'failed' | 'cancelled'

/** True for `completed`, `failed` and `cancelled`: the run has ended. */
export function isTerminalStatus(status: RunStatus): status is TerminalRunStatus {
  return status === 'completed' || status === 'failed' || status === 'cancelled'
}

/** The run method an action gets when config.yaml does not name one. */
export const ACTION_DEFAULT_METHODS: Readonly<Record<string, RunMethod>> = {
  upload: 'job',
  export: 'job',
  download: 'job',
  convert: 'job',
  train: 'job',
  test: 'job',
  deployment: 'job',
  add_task_data: 'job',
  inference: 'serve',
  auto_label: 'task',
}

/** The default method for an action name: {@link ACTION_DEFAULT_METHODS}, else `task`. */
export function defaultMethodFor(actionName: string): RunMethod {
  return ACTION_DEFAULT_METHODS[actionName] ?? 'task'
}

/** The values of an `as const` enum object, as a non-empty tuple for `z.enum`. */
export function enumValues<T extends Record<string, string>>(e: T): [ValueOf<T>, ...ValueOf<T>[]] {
  return Object.values(e) as [ValueOf<T>, ...ValueOf<T>[]]
}
