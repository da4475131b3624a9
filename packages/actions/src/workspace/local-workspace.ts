import { existsSync } from 'node:fs'
import { mkdir, readdir, rm, stat } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { ChecksumMismatchError } from '@synapse/core'
import { type DatasetFormat, datasetStats, normalizeFormat } from '@synapse/datasets'
import { WorkspaceError } from '../errors/workspace-error'
import {
  buildDirAtomic,
  copyInto,
  digestFiles,
  hashTree,
  newId,
  readJson,
  sha256File,
  writeFileAtomic,
} from './files'
import type {
  AddDatasetOptions,
  ArtifactInput,
  ArtifactRecord,
  DatasetRecord,
  ModelRecord,
  Workspace,
} from './workspace'
import { resolveWorkspaceRoot, type WorkspaceRootSources } from './workspace-root'

const RECORD = 'record.json'
const CONTENT = 'content'
const KIND = /^[a-z][a-z0-9_-]{0,39}$/
const ID = /^[a-z][a-z0-9_-]{0,63}$/

/**
 * The embedded workspace: datasets, models and other artifacts in a folder on the local disk
 * (by default the `.synapse/` folder of the run store, see {@link resolveWorkspaceRoot}).
 *
 * ```
 * <root>/datasets/<id>/record.json, content/…   a checked copy of the dataset
 * <root>/datasets/<id>/converted/<format>/      conversions, made once
 * <root>/models/<id>/record.json, content/…     files with SHA-256 each
 * <root>/artifacts/<kind>/<id>/…                other stored items
 * ```
 *
 * Each item is built under a temporary name and renamed into place, and each record is written
 * through a temporary file, so a crash never leaves half an item. Reading a model or artifact
 * hashes its files again and fails with `CHECKSUM_MISMATCH` naming the file that changed.
 *
 * @example
 * const ws = LocalWorkspace.open()            // .synapse/ of the run store
 * const ds = await ws.addDataset('data/coco', { format: 'coco' })
 * const model = await ws.createModel('out/weights.bin', { name: 'mlp', meta: { accuracy: 0.93 } })
 */
export class LocalWorkspace implements Workspace {
  /** The folder everything is kept in. */
  readonly root: string

  constructor(root: string) {
    this.root = resolve(root)
  }

  /** The workspace at the folder {@link resolveWorkspaceRoot} picks. */
  static open(sources: WorkspaceRootSources = {}): LocalWorkspace {
    return new LocalWorkspace(resolveWorkspaceRoot(sources))
  }

  async addDataset(source: string, options: AddDatasetOptions): Promise<DatasetRecord> {
    const input = resolve(source)
    if (!existsSync(input)) {
      throw new WorkspaceError('WORKSPACE_INVALID_INPUT', `Dataset path does not exist: ${input}`, {
        details: { path: input },
      })
    }
    let format: DatasetFormat
    try {
      format = normalizeFormat(options.format)
    } catch (error) {
      throw new WorkspaceError('WORKSPACE_INVALID_INPUT', messageOf(error), {
        details: { format: options.format },
      })
    }
    // Read the whole dataset before anything is stored: a dataset that does not read in the
    // format named is refused with the reader's own location of the problem.
    let stats: Awaited<ReturnType<typeof datasetStats>>['stats']
    try {
      ;({ stats } = await datasetStats({
        from: format,
        input,
        onError: 'fail',
        signal: options.signal,
      }))
    } catch (error) {
      throw new WorkspaceError(
        'WORKSPACE_INVALID_INPUT',
        `${input} is not a readable ${format} dataset: ${messageOf(error)}`,
        { details: { path: input, format }, cause: error },
      )
    }
    const id = newId('ds')
    const record: DatasetRecord = {
      id,
      name: options.name ?? basename(input),
      format,
      path: join(this.#datasetDir(id), CONTENT),
      createdAt: new Date().toISOString(),
      images: stats.images,
      annotations: stats.annotations,
      categories: stats.categories,
      splits: Object.fromEntries(Object.entries(stats.splits).map(([k, v]) => [k, v.images])),
      source: input,
    }
    await mkdir(join(this.root, 'datasets'), { recursive: true })
    await buildDirAtomic(this.#datasetDir(id), async (dir) => {
      await copyInto(input, join(dir, CONTENT))
      await writeFileAtomic(join(dir, RECORD), `${JSON.stringify(stored(record), null, 2)}\n`)
    })
    return record
  }

  async getDataset(id: string): Promise<DatasetRecord> {
    const record = ID.test(id) ? await this.#readDataset(id) : undefined
    if (record === undefined) {
      const known = (await this.listDatasets()).map((d) => d.id)
      throw new WorkspaceError(
        'WORKSPACE_DATASET_NOT_FOUND',
        `No dataset '${id}' in the workspace ${this.root}` +
          (known.length > 0 ? ` (datasets: ${known.join(', ')})` : ' (it has no datasets)'),
        { details: { id, workspace: this.root } },
      )
    }
    return record
  }

  async listDatasets(): Promise<DatasetRecord[]> {
    const out: DatasetRecord[] = []
    for (const id of await this.#ids(join(this.root, 'datasets'))) {
      const record = await this.#readDataset(id)
      if (record !== undefined) out.push(record)
    }
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  }

  async convertedPath(
    id: string,
    format: DatasetFormat,
    convert: (output: string) => Promise<void>,
  ): Promise<{ path: string; created: boolean }> {
    const dataset = await this.getDataset(id)
    if (dataset.format === format) return { path: dataset.path, created: false }
    const target = join(this.#datasetDir(id), 'converted', format)
    if (existsSync(target)) return { path: target, created: false }
    await mkdir(join(this.#datasetDir(id), 'converted'), { recursive: true })
    try {
      await buildDirAtomic(target, async (dir) => {
        // The converter writes its own output folder atomically and wants it absent.
        await rm(dir, { recursive: true })
        await convert(dir)
      })
    } catch (error) {
      // Another run converted the same dataset meanwhile: its conversion is as good as ours.
      const code = (error as NodeJS.ErrnoException).code
      if ((code === 'ENOTEMPTY' || code === 'EEXIST') && existsSync(target)) {
        return { path: target, created: false }
      }
      throw error
    }
    return { path: target, created: true }
  }

  async removeConverted(id: string, format: DatasetFormat): Promise<void> {
    if (!ID.test(id)) return
    await rm(join(this.#datasetDir(id), 'converted', format), { recursive: true, force: true })
  }

  createModel(path: string, input: ArtifactInput = {}): Promise<ModelRecord> {
    return this.#put('model', join(this.root, 'models'), path, input)
  }

  getModel(id: string): Promise<ModelRecord> {
    return this.#get('model', join(this.root, 'models'), id, 'WORKSPACE_MODEL_NOT_FOUND')
  }

  listModels(): Promise<ModelRecord[]> {
    return this.#list(join(this.root, 'models'))
  }

  deleteModel(id: string): Promise<void> {
    return this.#delete(join(this.root, 'models'), id)
  }

  async putArtifact(
    kind: string,
    path: string,
    input: ArtifactInput = {},
  ): Promise<ArtifactRecord> {
    return this.#put(kind, this.#kindDir(kind), path, input)
  }

  async getArtifact(kind: string, id: string): Promise<ArtifactRecord> {
    return this.#get(kind, this.#kindDir(kind), id, 'WORKSPACE_ARTIFACT_NOT_FOUND')
  }

  async listArtifacts(kind: string): Promise<ArtifactRecord[]> {
    return this.#list(this.#kindDir(kind))
  }

  async deleteArtifact(kind: string, id: string): Promise<void> {
    return this.#delete(this.#kindDir(kind), id)
  }

  #datasetDir(id: string): string {
    return join(this.root, 'datasets', id)
  }

  #kindDir(kind: string): string {
    if (!KIND.test(kind) || kind === 'model') {
      throw new WorkspaceError(
        'WORKSPACE_INVALID_INPUT',
        `Artifact kind '${kind}' must be lower-case letters, digits, '-' or '_' (and not 'model')`,
        { details: { kind } },
      )
    }
    return join(this.root, 'artifacts', kind)
  }

  async #readDataset(id: string): Promise<DatasetRecord | undefined> {
    const raw = await this.#readRecord(join(this.#datasetDir(id), RECORD))
    if (raw === undefined) return undefined
    return { ...(raw as unknown as DatasetRecord), path: join(this.#datasetDir(id), CONTENT) }
  }

  async #readRecord(file: string): Promise<Record<string, unknown> | undefined> {
    let raw: unknown
    try {
      raw = await readJson(file)
    } catch (error) {
      throw new WorkspaceError('WORKSPACE_CORRUPT', `Cannot read ${file}: ${messageOf(error)}`, {
        details: { file },
        cause: error,
      })
    }
    if (raw === undefined) return undefined
    if (typeof raw !== 'object' || raw === null || typeof (raw as { id?: unknown }).id !== 'string')
      throw new WorkspaceError('WORKSPACE_CORRUPT', `${file} is not a workspace record`, {
        details: { file },
      })
    return raw as Record<string, unknown>
  }

  async #ids(dir: string): Promise<string[]> {
    try {
      return (await readdir(dir, { withFileTypes: true }))
        .filter((e) => e.isDirectory() && ID.test(e.name))
        .map((e) => e.name)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw error
    }
  }

  async #put(
    kind: string,
    dir: string,
    source: string,
    input: ArtifactInput,
  ): Promise<ArtifactRecord> {
    const from = resolve(source)
    const info = await stat(from).catch(() => undefined)
    if (info === undefined || !(info.isFile() || info.isDirectory())) {
      throw new WorkspaceError(
        'WORKSPACE_INVALID_INPUT',
        `Cannot store ${kind} from ${from}: no such file or folder`,
        { details: { path: from, kind } },
      )
    }
    const meta = jsonMeta(input.meta ?? {}, kind)
    const id = newId(kind === 'model' ? 'model' : kind)
    const single = info.isFile() ? basename(from) : undefined
    await mkdir(dir, { recursive: true })
    let record: ArtifactRecord | undefined
    await buildDirAtomic(join(dir, id), async (tmp) => {
      const content = join(tmp, CONTENT)
      if (single === undefined) await copyInto(from, content)
      else {
        await mkdir(content)
        await copyInto(from, join(content, single))
      }
      // Hash the copy, not the source: the checksum vouches for what the workspace holds.
      const files = await hashTree(content)
      record = {
        id,
        kind,
        name: input.name ?? single ?? basename(from),
        createdAt: new Date().toISOString(),
        files,
        size: files.reduce((n, f) => n + f.size, 0),
        sha256: digestFiles(files),
        meta,
        path: '',
      }
      await writeFileAtomic(
        join(tmp, RECORD),
        `${JSON.stringify({ ...stored(record), single }, null, 2)}\n`,
      )
    })
    return withPath(record!, join(dir, id), single)
  }

  async #get(
    kind: string,
    dir: string,
    id: string,
    missing: 'WORKSPACE_MODEL_NOT_FOUND' | 'WORKSPACE_ARTIFACT_NOT_FOUND',
  ): Promise<ArtifactRecord> {
    const raw = ID.test(id) ? await this.#readRecord(join(dir, id, RECORD)) : undefined
    if (raw === undefined) {
      throw new WorkspaceError(missing, `No ${kind} '${id}' in the workspace ${this.root}`, {
        details: { id, kind, workspace: this.root },
      })
    }
    const record = withPath(raw as unknown as ArtifactRecord, join(dir, id), raw['single'])
    const content = join(dir, id, CONTENT)
    for (const file of record.files) {
      const full = join(content, ...file.path.split('/'))
      const actual = await sha256File(full).catch(() => 'missing')
      if (actual !== file.sha256) {
        throw new ChecksumMismatchError(
          `${kind} '${id}': ${full} ${actual === 'missing' ? 'is missing' : 'does not match its checksum'} (expected sha256 ${file.sha256}${actual === 'missing' ? '' : `, found ${actual}`})`,
          { details: { id, kind, file: full, expected: file.sha256, actual } },
        )
      }
    }
    return record
  }

  async #list(dir: string): Promise<ArtifactRecord[]> {
    const out: ArtifactRecord[] = []
    for (const id of await this.#ids(dir)) {
      const raw = await this.#readRecord(join(dir, id, RECORD))
      if (raw !== undefined)
        out.push(withPath(raw as unknown as ArtifactRecord, join(dir, id), raw['single']))
    }
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  }

  async #delete(dir: string, id: string): Promise<void> {
    if (!ID.test(id)) return
    await rm(join(dir, id), { recursive: true, force: true })
  }
}

/** A record as written: paths are derived from where it lies, never trusted from the file. */
function stored<T extends { path: string }>(record: T): Omit<T, 'path'> {
  const { path: _path, ...rest } = record
  return rest
}

function withPath(record: ArtifactRecord, dir: string, single: unknown): ArtifactRecord {
  const { single: _single, ...rest } = record as ArtifactRecord & { single?: unknown }
  const content = join(dir, CONTENT)
  return { ...rest, path: typeof single === 'string' ? join(content, single) : content }
}

function jsonMeta(meta: Record<string, unknown>, kind: string): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(meta)) as Record<string, unknown>
  } catch (error) {
    throw new WorkspaceError(
      'WORKSPACE_INVALID_INPUT',
      `The ${kind}'s metadata must be JSON: ${messageOf(error)}`,
      { details: { kind } },
    )
  }
}

/** A dataset error's message already starts with its file:line:col. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
