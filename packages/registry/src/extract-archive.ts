import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { ArchiveError, ChecksumMismatchError } from '@synapse/core'
import { sha256Hex } from './checksum'
import { safeEntryPath } from './safe-entry-path'
import { readTar } from './tar'

/**
 * Unpacks a plugin `.tar.gz` into `target`, which must not exist yet. The checksum is checked
 * before anything is read, every entry path before anything is written, and the files land in a
 * sibling temporary directory renamed into place at the end: on any error `target` does not
 * exist and nothing is left behind.
 */
export function extractArchive(archive: Uint8Array, checksum: string, target: string): void {
  const actual = sha256Hex(archive)
  if (actual !== checksum.toLowerCase()) {
    throw new ChecksumMismatchError(
      `Plugin archive checksum mismatch: expected sha256 ${checksum}, got ${actual} (the archive was altered or corrupted)`,
      { details: { expected: checksum, actual } },
    )
  }
  let tar: Uint8Array
  try {
    tar = gunzipSync(archive)
  } catch (cause) {
    throw new ArchiveError('Plugin archive is not a valid gzip file', { cause })
  }
  const entries = readTar(tar).map((e) => ({ ...e, path: safeEntryPath(e.path) }))
  const dest = resolve(target)
  const staging = `${dest}.partial-${process.pid}-${Date.now()}`
  mkdirSync(dirname(dest), { recursive: true })
  try {
    mkdirSync(staging)
    for (const entry of entries) {
      const path = join(staging, entry.path)
      if (entry.type === 'directory') mkdirSync(path, { recursive: true })
      else {
        mkdirSync(dirname(path), { recursive: true })
        // Only the permission bits that make sense for a plugin file: never setuid or setgid.
        writeFileSync(path, entry.data, { mode: entry.mode & 0o111 ? 0o755 : 0o644 })
      }
    }
    renameSync(staging, dest)
  } catch (cause) {
    rmSync(staging, { recursive: true, force: true })
    if (cause instanceof ArchiveError) throw cause
    throw new ArchiveError(`Cannot unpack plugin archive into ${dest}`, {
      cause,
      details: { target: dest },
    })
  }
}
