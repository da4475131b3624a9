// @synapse/actions — category base actions on an embedded workspace, read as a table of contents.

// Auto-label: input_transform → inference → output_transform.
export {
  AUTO_LABEL_PROGRESS,
  AutoLabelContext,
  BaseAutoLabelAction,
} from './auto-label/base-auto-label-action'
// Dataset: out of the workspace or between formats.
export { DatasetAction, DatasetContext, DatasetParams } from './dataset/dataset-action'
export { type OpenFolderOptions, openDatasetFolder } from './dataset/dataset-folder'
export {
  type DatasetSourceParams,
  datasetSourceOf,
  prepareDatasetFrom,
} from './dataset/dataset-source'
export {
  type PreparedDataset,
  type PrepareOptions,
  prepareDataset,
  type WorkspaceDataset,
} from './dataset/prepare-dataset'
// Errors: stable codes; a checksum mismatch is core's CHECKSUM_MISMATCH.
export { ACTION_ERROR_KINDS, type ActionErrorCode } from './errors/action-error-codes'
export { WorkspaceError } from './errors/workspace-error'
// Export: fetch → convert (exporter hooks) → save → finalize.
export {
  BaseExportAction,
  BaseExportParams,
  EXPORT_PROGRESS,
  ExportContext,
  type ExportItemError,
} from './export/base-export-action'
export { UniquePaths } from './export/unique-path'
// Inference: model_load → inference (batched) → postprocess.
export {
  BaseInferenceAction,
  BaseInferenceParams,
  INFERENCE_PROGRESS,
  InferenceContext,
} from './inference/base-inference-action'
// Result schemas.
export {
  DatasetResult,
  ExportResult,
  InferenceResult,
  MetricsResult,
  TrainResult,
  UploadResult,
  WeightsResult,
} from './results/result-schemas'
// Train: dataset → convert → train → model_upload.
export { BaseTrainAction, type ModelRef, TRAIN_PROGRESS } from './train/base-train-action'
export { type CheckpointInfo, TrainContext } from './train/train-context'
export { BaseTrainParams, flattenHyperparameters, trainParams } from './train/train-params'
// Upload: organize → validation → upload → finalization, rolled back on failure.
export {
  BaseUploadAction,
  BaseUploadParams,
  UPLOAD_PROGRESS,
  UploadContext,
  type UploadedRef,
  type UploadItem,
} from './upload/base-upload-action'
// The shared base: a workspace and a workflow of steps.
export { ActionStepContext, WorkflowAction } from './workflow-action'
// Workspace: the contract and the embedded file-system default.
export { LocalWorkspace } from './workspace/local-workspace'
export type {
  AddDatasetOptions,
  ArtifactFile,
  ArtifactInput,
  ArtifactRecord,
  DatasetRecord,
  ModelRecord,
  Workspace,
} from './workspace/workspace'
export {
  resolveWorkspaceRoot,
  SYNAPSE_WORKSPACE_ENV,
  type WorkspaceRootSources,
} from './workspace/workspace-root'
