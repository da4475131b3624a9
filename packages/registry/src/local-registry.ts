import {
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { join, resolve } from 'node:path'
import {
  assertPluginRef,
  ChecksumMismatchError,
  PluginError,
  type PluginRegistry,
  type PluginRelease,
  type PublishMeta,
  type ResolvedArchive,
} from '@synapse/core'
import { sha256Hex } from './checksum'
import { compareVersions } from './compare-versions'

const RELEASE_SUFFIX = '.json'
const ARCHIVE_SUFFIX = '.tar.gz'

/**
 * The embedded default registry: releases kept in a directory, `<dir>/<code>/<version>.tar.gz`
 * with its record `<version>.json` beside it. A version is written once: the archive is created
 * with an exclusive link (a second publisher of the same version fails, never overwrites), and
 * the record, written last by rename, is what makes the release exist.
 */
export class LocalRegistry implements PluginRegistry {
  /** Absolute path of the registry directory. */
  readonly dir: string

  constructor(dir: string) {
    this.dir = resolve(dir)
  }

  async publish(archive: Uint8Array, meta: PublishMeta): Promise<PluginRelease> {
    assertPluginRef(meta.code, meta.version)
    const checksum = sha256Hex(archive)
    if (checksum !== meta.checksum.toLowerCase()) {
      throw new ChecksumMismatchError(
        `Archive for ${meta.code}@${meta.version} does not match its checksum: expected ${meta.checksum}, got ${checksum}`,
        { details: { expected: meta.checksum, actual: checksum } },
      )
    }
    const codeDir = join(this.dir, meta.code)
    mkdirSync(codeDir, { recursive: true })
    const archivePath = join(codeDir, `${meta.version}${ARCHIVE_SUFFIX}`)
    const releasePath = join(codeDir, `${meta.version}${RELEASE_SUFFIX}`)
    const release: PluginRelease = {
      code: meta.code,
      version: meta.version,
      checksum,
      size: archive.length,
      publishedAt: new Date().toISOString(),
      files: meta.files,
      ...(meta.config !== undefined && { config: meta.config }),
    }
    const tmp = join(codeDir, `.${meta.version}.${process.pid}.${Date.now()}.tmp`)
    writeFileSync(tmp, archive)
    try {
      linkSync(tmp, archivePath)
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'EEXIST') throw versionExists(meta, this.dir)
      throw cause
    } finally {
      rmSync(tmp, { force: true })
    }
    try {
      writeFileSync(tmp, `${JSON.stringify(release, null, 2)}\n`)
      renameSync(tmp, releasePath)
    } catch (cause) {
      // Without its record the archive is no release; take it back so the version stays free.
      rmSync(tmp, { force: true })
      rmSync(archivePath, { force: true })
      throw cause
    }
    return release
  }

  async resolve(code: string, version: string): Promise<ResolvedArchive> {
    assertPluginRef(code, version)
    const release = this.#readRelease(code, version)
    const archive = new Uint8Array(
      readFileSync(join(this.dir, code, `${version}${ARCHIVE_SUFFIX}`)),
    )
    return { archive, release }
  }

  async versions(code: string): Promise<string[]> {
    assertPluginRef(code)
    let names: string[]
    try {
      names = readdirSync(join(this.dir, code))
    } catch {
      return []
    }
    return names
      .filter((n) => n.endsWith(RELEASE_SUFFIX) && !n.startsWith('.'))
      .map((n) => n.slice(0, -RELEASE_SUFFIX.length))
      .sort(compareVersions)
  }

  #readRelease(code: string, version: string): PluginRelease {
    const path = join(this.dir, code, `${version}${RELEASE_SUFFIX}`)
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch {
      throw new PluginError(`No release ${code}@${version} in the registry at ${this.dir}`, {
        code: 'RELEASE_NOT_FOUND',
        details: { code, version, registry: this.dir },
      })
    }
    try {
      return JSON.parse(text) as PluginRelease
    } catch (cause) {
      throw new PluginError(`Registry record ${path} is not valid JSON`, {
        code: 'REGISTRY_CORRUPT',
        cause,
        details: { path },
      })
    }
  }
}

function versionExists(meta: PublishMeta, where: string): PluginError {
  return new PluginError(
    `${meta.code}@${meta.version} is already published in ${where}; versions are immutable, raise the version in config.yaml`,
    { code: 'VERSION_EXISTS', details: { code: meta.code, version: meta.version } },
  )
}
