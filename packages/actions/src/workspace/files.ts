import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import type { ArtifactFile } from './workspace'

/** A short random id with a readable prefix, e.g. `model-3f9a1c2e`. */
export function newId(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`
}

/** Hex SHA-256 of a file, streamed: model files can be larger than memory. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** One digest for a whole file list, so an artifact has a single checksum to show. */
export function digestFiles(files: readonly ArtifactFile[]): string {
  const hash = createHash('sha256')
  for (const f of files) hash.update(`${f.path}\0${f.sha256}\n`)
  return hash.digest('hex')
}

/** Every file under `root`, as sorted `/`-separated paths relative to it. */
export async function listTree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort()
}

/** Checksums of every file under `root`. */
export async function hashTree(root: string): Promise<ArtifactFile[]> {
  const out: ArtifactFile[] = []
  for (const path of await listTree(root)) {
    const full = join(root, ...path.split('/'))
    out.push({ path, size: (await stat(full)).size, sha256: await sha256File(full) })
  }
  return out
}

/**
 * Writes `text` to `path` through a temporary file in the same folder and a rename, so a reader
 * sees the old file or the new one, never half of one.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`
  try {
    await writeFile(tmp, text)
    await rename(tmp, path)
  } catch (error) {
    await rm(tmp, { force: true })
    throw error
  }
}

/**
 * Fills a fresh folder with `fill` under a temporary name next to `target` and renames it into
 * place when done: a crash or failure leaves no half-written `target`.
 */
export async function buildDirAtomic(
  target: string,
  fill: (dir: string) => Promise<void>,
): Promise<void> {
  const tmp = join(dirname(target), `.tmp-${randomBytes(4).toString('hex')}`)
  await mkdir(tmp, { recursive: true })
  try {
    await fill(tmp)
    await rename(tmp, target)
  } catch (error) {
    await rm(tmp, { recursive: true, force: true })
    throw error
  }
}

/** Copies a file or a folder to `dest` (which must not exist), dereferencing links. */
export async function copyInto(source: string, dest: string): Promise<void> {
  await cp(source, dest, { recursive: true, dereference: true, errorOnExist: true, force: false })
}

/** Reads and parses a JSON file; `undefined` when it does not exist. */
export async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
