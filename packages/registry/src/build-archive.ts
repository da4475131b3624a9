import { type Dirent, lstatSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { gzip } from 'node:zlib'
import { ArchiveError } from '@synapse/core'
import { sha256Hex } from './checksum'
import { ignoreRulesFor } from './ignore-rules'
import { isSecretFile } from './secret-files'
import { type TarEntry, writeTar } from './tar'

/** A packed plugin folder. */
export interface PluginArchive {
  /** The `.tar.gz` bytes; the same folder always gives the same bytes. */
  archive: Uint8Array
  /** SHA-256 of `archive`, lowercase hex. */
  checksum: string
  /** Paths packed, sorted. */
  files: string[]
  /** Files left out because their name says they hold secrets, though no rule ignored them. */
  secretsExcluded: string[]
  /** Anything else worth telling the author (symlinks skipped…). */
  warnings: string[]
}

/** Files of a plugin folder that an archive takes: ignore rules applied, secrets left out. */
export interface PluginFileList {
  files: string[]
  secretsExcluded: string[]
  warnings: string[]
}

/**
 * Lists what `buildArchive` would pack: every regular file under `root` not matched by the
 * default ignores, `.gitignore` or `.synapseignore`, and never a credentials file.
 */
export function listPluginFiles(root: string): PluginFileList {
  const base = resolve(root)
  const rules = ignoreRulesFor(base)
  const files: string[] = []
  const secretsExcluded: string[] = []
  const warnings: string[] = []
  const walk = (dir: string, prefix: string): void => {
    let entries: Dirent[]
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch (cause) {
      throw new ArchiveError(`Cannot read plugin folder ${dir}`, { cause, details: { path: dir } })
    }
    for (const e of entries) {
      const rel = prefix === '' ? e.name : `${prefix}/${e.name}`
      if (e.isDirectory()) {
        if (!rules.ignores(`${rel}/`)) walk(join(dir, e.name), rel)
        continue
      }
      if (rules.ignores(rel)) continue
      if (e.isSymbolicLink()) {
        // A link would pack a file from outside the folder, or point outside once unpacked.
        warnings.push(`${rel}: symbolic link skipped`)
      } else if (!e.isFile()) {
        warnings.push(`${rel}: not a regular file, skipped`)
      } else if (isSecretFile(rel)) {
        secretsExcluded.push(rel)
      } else files.push(rel)
    }
  }
  walk(base, '')
  // Byte order, not locale order: the archive must not depend on the machine's language.
  const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  return { files: files.sort(byBytes), secretsExcluded: secretsExcluded.sort(byBytes), warnings }
}

/**
 * Packs a plugin folder into a deterministic `.tar.gz` (sorted entries, zero times and owners,
 * modes reduced to 644/755) and its SHA-256. Credentials files are never packed, and are named
 * in `secretsExcluded` so the caller can warn.
 */
export async function buildArchive(root: string): Promise<PluginArchive> {
  const base = resolve(root)
  const listed = listPluginFiles(base)
  const entries: TarEntry[] = listed.files.map((rel) => {
    const path = join(base, rel)
    const executable = (lstatSync(path).mode & 0o111) !== 0
    return { path: rel, type: 'file', mode: executable ? 0o755 : 0o644, data: readFileSync(path) }
  })
  const archive = await gzipInSlices(writeTar(entries))
  return { archive, checksum: sha256Hex(archive), ...listed }
}

const gzipAsync = promisify(gzip)
const SLICE = 1 << 20

/**
 * Gzip of `data` as one gzip member per MiB, compressed side by side on libuv's thread pool (as
 * pigz does): a 10 MB plugin packs in about half the time on two cores. Concatenated members
 * are one valid gzip stream for every reader (gunzip, tar, Node's zlib), and fixed slice
 * boundaries keep the output deterministic.
 */
async function gzipInSlices(data: Uint8Array): Promise<Uint8Array> {
  const slices: Promise<Buffer>[] = []
  for (let at = 0; at < data.length; at += SLICE) {
    slices.push(gzipAsync(data.subarray(at, at + SLICE), { level: 6 }))
  }
  return new Uint8Array(Buffer.concat(await Promise.all(slices)))
}
