import { randomBytes } from 'node:crypto'
import {
  appendFile as appendFileCb,
  close as closeCb,
  existsSync,
  lstatSync,
  open as openCb,
  writeFile as writeFileCb,
  writev as writevCb,
} from 'node:fs'
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { DatasetError } from '../errors'
import { OutputRoot } from './output-root'

/**
 * Runs `fill` against a fresh temporary folder beside `output` and renames it into place only if
 * `fill` succeeds, so a failed or aborted conversion leaves nothing behind. An existing `output`
 * is refused unless `overwrite` is set, in which case it is swapped out after the new one is ready.
 */
export async function writeAtomically<T>(
  output: string,
  overwrite: boolean,
  fill: (tempDir: string) => Promise<T>,
): Promise<T> {
  if (existsSync(output) && !overwrite) {
    throw new DatasetError(
      'DATASET_IO_ERROR',
      'output already exists (pass overwrite to replace it)',
      {
        file: output,
      },
    )
  }
  const parent = dirname(output)
  await mkdir(parent, { recursive: true })
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`
  const temp = join(parent, `.${basename(output)}.tmp-${tag}`)
  await mkdir(temp)
  try {
    const result = await fill(temp)
    if (existsSync(output)) {
      const old = join(parent, `.${basename(output)}.old-${tag}`)
      await rename(output, old)
      await rename(temp, output)
      await rm(old, { recursive: true, force: true })
    } else {
      await rename(temp, output)
    }
    return result
  } catch (error) {
    await rm(temp, { recursive: true, force: true })
    throw error
  }
}

/**
 * Writes many small files with bounded concurrency (file creation, not bytes, dominates YOLO and
 * VOC output) and creates each folder once. Uses the callback API: measured on 5,000 small files
 * it is about 4× faster than `fs.promises.writeFile` at the same concurrency (no FileHandle objects).
 */
export class FileSink {
  files = 0
  bytes = 0
  /** Every path is checked against it before anything is created (absent only in unit tests). */
  readonly root: OutputRoot | undefined
  private readonly dirs = new Set<string>()
  private readonly limit: number
  private active = 0
  private readonly waiters: (() => void)[] = []
  private idle: (() => void)[] = []
  private failure: unknown

  constructor(root?: string, limit = 64) {
    this.root = root === undefined ? undefined : new OutputRoot(root)
    this.limit = limit
  }

  /**
   * Creates `dir` (once) after checking it lies inside the root, then checks it again with its
   * symlinks resolved, before anything is put in it.
   */
  async mkdir(dir: string): Promise<void> {
    if (this.dirs.has(dir)) return
    this.root?.check(dir)
    await mkdir(dir, { recursive: true })
    this.root?.checkRealDir(dir)
    this.dirs.add(dir)
  }

  /**
   * Queues a write (or an append); resolves once there is room for another. `data` may be a list
   * of chunks, written in order as one file: a big file built in parts (a COCO document) then
   * needs no copy into one buffer.
   */
  async write(
    path: string,
    data: string | Uint8Array | readonly Uint8Array[],
    append = false,
  ): Promise<void> {
    if (this.failure !== undefined) throw this.failure
    this.root?.check(path)
    const dir = dirname(path)
    if (!this.dirs.has(dir)) await this.mkdir(dir)
    if (!append) this.files++
    this.bytes +=
      typeof data === 'string'
        ? Buffer.byteLength(data)
        : Array.isArray(data)
          ? data.reduce((n: number, c: Uint8Array) => n + c.byteLength, 0)
          : (data as Uint8Array).byteLength
    this.active++
    const done = (error: NodeJS.ErrnoException | null): void => {
      this.active--
      if (error !== null) {
        this.failure ??=
          error.code === 'EEXIST' && !isDirectorySync(path)
            ? new DatasetError(
                'DATASET_PATH_ERROR',
                'two items of the dataset would be written to this one file',
                { file: path, cause: error },
              )
            : new DatasetError('DATASET_IO_ERROR', 'cannot write file', {
                file: path,
                cause: error,
              })
      }
      this.waiters.shift()?.()
      if (this.active === 0) {
        const idle = this.idle
        this.idle = []
        for (const wake of idle) wake()
      }
    }
    if (Array.isArray(data)) writeChunks(path, data, append, done)
    else if (append) appendFileCb(path, data as string | Uint8Array, done)
    // `wx`: a file is created, never overwritten, and never written through a symlink placed
    // where it should go; two items mapping to one file become an error, not a silent loss.
    else writeFileCb(path, data as string | Uint8Array, { flag: 'wx' }, done)
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiters.push(resolve))
  }

  /** Waits for every queued write; throws the first failure. */
  async flush(): Promise<void> {
    if (this.active > 0) await new Promise<void>((resolve) => this.idle.push(resolve))
    if (this.failure !== undefined) throw this.failure
  }
}

/**
 * Formatted files held back and handed to a {@link FileSink} in bursts: writers format many files
 * first, then write them back to back. On W1 (5,000 YOLO label files) this measured ~100 ms
 * faster than writing each file as soon as it is formatted: on two cores the formatting thread
 * and the file-system threads otherwise fight for the same CPUs. `limit` bounds the memory held.
 */
export class WriteBatch {
  private readonly files: { path: string; data: string | Uint8Array }[] = []
  private size = 0
  private readonly sink: FileSink
  private readonly limit: number

  constructor(sink: FileSink, limit = 64 << 20) {
    this.sink = sink
    this.limit = limit
  }

  async add(path: string, data: string | Uint8Array): Promise<void> {
    this.files.push({ path, data })
    this.size += data.length
    if (this.size >= this.limit) await this.flush()
  }

  /** Queues every held file on the sink (call before the sink's own flush). */
  async flush(): Promise<void> {
    for (const f of this.files) await this.sink.write(f.path, f.data)
    this.files.length = 0
    this.size = 0
  }
}

function isDirectorySync(path: string): boolean {
  try {
    return lstatSync(path).isDirectory()
  } catch {
    return false
  }
}

/** Writes `chunks` in order with `writev`, resuming after short writes; closes the file always. */
function writeChunks(
  path: string,
  chunks: readonly Uint8Array[],
  append: boolean,
  done: (error: NodeJS.ErrnoException | null) => void,
): void {
  openCb(path, append ? 'a' : 'wx', (openError, fd) => {
    if (openError !== null) {
      done(openError)
      return
    }
    let rest = chunks.filter((c) => c.byteLength > 0)
    const finish = (error: NodeJS.ErrnoException | null): void => {
      closeCb(fd, (closeError) => done(error ?? closeError))
    }
    const next = (): void => {
      if (rest.length === 0) {
        finish(null)
        return
      }
      writevCb(fd, rest, (error, written) => {
        if (error !== null || written === 0) {
          // No progress on a regular file means something is wrong: never loop on it.
          finish(error ?? Object.assign(new Error('writev wrote nothing'), { code: 'EIO' }))
          return
        }
        // Drop what was written: whole chunks, then the head of a partly written one.
        let left = written
        let i = 0
        while (i < rest.length && left >= rest[i]!.byteLength) left -= rest[i++]!.byteLength
        rest = rest.slice(i)
        if (left > 0) rest[0] = rest[0]!.subarray(left)
        next()
      })
    }
    next()
  })
}

/** Every file under `root` (relative, `/`-separated, sorted), skipping dot-entries. */
export async function listFiles(
  root: string,
  filter?: (name: string) => boolean,
): Promise<string[]> {
  const out: string[] = []
  async function walk(dir: string, prefix: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true })
    for (const e of entries) {
      if (e.name.startsWith('.')) continue
      const rel = prefix === '' ? e.name : `${prefix}/${e.name}`
      if (e.isDirectory()) await walk(join(dir, e.name), rel)
      else if (filter === undefined || filter(e.name)) out.push(rel)
    }
  }
  await walk(root, '')
  return out.sort()
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping result order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  async function worker(): Promise<void> {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i]!, i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.bmp', '.webp', '.tif', '.tiff', '.gif']

export function isImageName(name: string): boolean {
  const dot = name.lastIndexOf('.')
  return dot !== -1 && IMAGE_EXTENSIONS.includes(name.slice(dot).toLowerCase())
}

/** `a/b/c.jpg` → `a/b/c`. */
export function stripExtension(name: string): string {
  const slash = name.lastIndexOf('/')
  const dot = name.lastIndexOf('.')
  return dot > slash + 0 && dot > 0 ? name.slice(0, dot) : name
}
