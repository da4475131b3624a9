import type { DatasetFormat } from '@synapse/datasets'

/** One stored file of an artifact, with what it must still hash to. */
export interface ArtifactFile {
  /** Path inside the artifact, `/`-separated. */
  path: string
  size: number
  /** Hex SHA-256 of the file's bytes when it was stored. */
  sha256: string
}

/**
 * Something the workspace keeps (a model, an uploaded item): its files with their checksums and
 * the metadata given when it was stored. `sha256` digests the file list, so one value names the
 * whole artifact.
 */
export interface ArtifactRecord {
  id: string
  /** `model`, or the kind an upload chose. */
  kind: string
  name: string
  createdAt: string
  files: ArtifactFile[]
  size: number
  sha256: string
  meta: Record<string, unknown>
  /**
   * Absolute path to use the artifact: the file itself when it is one file stored from a file,
   * else its folder.
   */
  path: string
}

/** A model artifact: weights and whatever training stored with them. */
export type ModelRecord = ArtifactRecord

/** A dataset put into the workspace, with what reading it found. */
export interface DatasetRecord {
  id: string
  name: string
  format: DatasetFormat
  /** Absolute path of the stored copy. */
  path: string
  createdAt: string
  images: number
  annotations: number
  categories: number
  /** Image count per split (`''` when the dataset has none). */
  splits: Record<string, number>
  /** Where it was added from. */
  source: string
}

/** What to store with an artifact. */
export interface ArtifactInput {
  name?: string | undefined
  /** JSON-serialisable metadata (metrics, hyperparameters, the run that made it). */
  meta?: Record<string, unknown> | undefined
}

/** How a dataset is added. */
export interface AddDatasetOptions {
  format: string
  name?: string | undefined
  signal?: AbortSignal | undefined
}

/**
 * Where category actions get their datasets and put their models, so they run with no server.
 * The embedded default keeps everything on the local disk ({@link LocalWorkspace}); a remote
 * backend can implement the same contract.
 *
 * Every method that looks something up by id fails with a `WorkspaceError` naming the id when
 * there is none; nothing is created by a call that fails.
 */
export interface Workspace {
  /** Checks that `source` reads as a dataset in `format`, then stores a copy of it. */
  addDataset(source: string, options: AddDatasetOptions): Promise<DatasetRecord>
  getDataset(id: string): Promise<DatasetRecord>
  listDatasets(): Promise<DatasetRecord[]>
  /**
   * The dataset `id` in `format`: the stored copy when it already is, else a conversion made
   * once and kept. `convert` is called only when there is no kept conversion yet.
   */
  convertedPath(
    id: string,
    format: DatasetFormat,
    convert: (output: string) => Promise<void>,
  ): Promise<{ path: string; created: boolean }>
  /** Drops a kept conversion (a rollback of the run that made it). */
  removeConverted(id: string, format: DatasetFormat): Promise<void>

  /** Stores a copy of the file or folder at `path` as a model, checksummed. */
  createModel(path: string, input?: ArtifactInput): Promise<ModelRecord>
  /** The model, after checking every file against its checksum (`CHECKSUM_MISMATCH`). */
  getModel(id: string): Promise<ModelRecord>
  /** Models, oldest first, without reading their files. */
  listModels(): Promise<ModelRecord[]>
  deleteModel(id: string): Promise<void>

  /** Stores a file or folder as an artifact of `kind` (storage for uploads and exports). */
  putArtifact(kind: string, path: string, input?: ArtifactInput): Promise<ArtifactRecord>
  /** The artifact, checked against its checksums. */
  getArtifact(kind: string, id: string): Promise<ArtifactRecord>
  listArtifacts(kind: string): Promise<ArtifactRecord[]>
  deleteArtifact(kind: string, id: string): Promise<void>
}
