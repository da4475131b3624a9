import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import {
  assertPluginRef,
  ChecksumMismatchError,
  type PluginInstaller,
  type PluginRegistry,
} from '@synapse/core'
import { extractArchive } from './extract-archive'

/**
 * Fetches releases from a registry into a cache directory, `<cache>/<code>/<version>-<sha12>`:
 * the checksum is checked, the archive unpacked safely, and a release already there is reused
 * without asking the registry again (versions are immutable; `<version>.checksum` records
 * which directory holds it). A different archive under the same version (a registry
 * that was wiped and refilled) lands in a directory of its own.
 */
export class RegistryInstaller implements PluginInstaller {
  readonly #registry: PluginRegistry
  /** Absolute path of the cache directory. */
  readonly cacheDir: string
  readonly #known = new Map<string, string>()

  constructor(registry: PluginRegistry, cacheDir: string) {
    this.#registry = registry
    this.cacheDir = resolve(cacheDir)
  }

  async install(code: string, version: string): Promise<string> {
    assertPluginRef(code, version)
    const key = `${code}@${version}`
    const known = this.#known.get(key)
    if (known !== undefined && existsSync(known)) return known
    const pointer = join(this.cacheDir, code, `${version}.checksum`)
    const cached = readPointer(pointer)
    if (cached !== undefined) {
      const dir = join(this.cacheDir, code, `${version}-${cached.slice(0, 12)}`)
      if (existsSync(dir)) {
        this.#known.set(key, dir)
        return dir
      }
    }
    const { archive, release } = await this.#registry.resolve(code, version)
    if (release.code !== code || release.version !== version) {
      throw new ChecksumMismatchError(
        `Registry answered ${release.code}@${release.version} when asked for ${key}`,
        { details: { asked: key, got: `${release.code}@${release.version}` } },
      )
    }
    const target = join(this.cacheDir, code, `${version}-${release.checksum.slice(0, 12)}`)
    if (!existsSync(target)) {
      try {
        extractArchive(archive, release.checksum, target)
      } catch (error) {
        // Another process unpacked the same release first: theirs is as good as ours.
        if (!existsSync(target)) throw error
      }
    }
    const tmp = `${pointer}.${process.pid}.tmp`
    writeFileSync(tmp, `${release.checksum}\n`)
    renameSync(tmp, pointer)
    this.#known.set(key, target)
    return target
  }
}

function readPointer(path: string): string | undefined {
  try {
    const text = readFileSync(path, 'utf8').trim()
    return /^[0-9a-f]{64}$/.test(text) ? text : undefined
  } catch {
    return undefined
  }
}
