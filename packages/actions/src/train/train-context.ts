import type { PreparedDataset } from '../dataset/prepare-dataset'
import { ActionStepContext } from '../workflow-action'
import type { ArtifactInput, ModelRecord } from '../workspace/workspace'

/** Where training starts from: a model's weights, or the run's own checkpoint. */
export interface CheckpointInfo {
  /** `base` unless the checkpoint says otherwise. */
  category: string
  /** Absolute path of the weights (file or folder). */
  path: string
  /** Workspace model id, when it came from the workspace. */
  id?: string | undefined
  name?: string | undefined
}

/**
 * What a training workflow's steps share: the params, the dataset once fetched (and converted),
 * the checkpoint, and the model once stored. The train step sets `modelPath` (and `modelMeta`)
 * for the `model_upload` step to store, or calls `createModel` itself.
 */
export class TrainContext<
  TAction = unknown,
  TParams = Record<string, unknown>,
> extends ActionStepContext<TAction> {
  params!: TParams
  dataset: PreparedDataset | undefined
  checkpoint: CheckpointInfo | undefined
  /** The trained weights to store, when the train step leaves storing to `model_upload`. */
  modelPath: string | undefined
  modelMeta: ArtifactInput | undefined
  /** The stored model. */
  model: ModelRecord | undefined
  /** Every model stored during the run, removed again if the run fails. */
  readonly createdModels: ModelRecord[] = []
  /** What `train` returned. */
  result: Record<string, unknown> | undefined
}
