import { relative } from 'node:path'
import {
  ArchiveError,
  type LoadedConfig,
  loadPluginConfig,
  PluginError,
  type PluginRegistry,
  type PluginRelease,
  toJsonValue,
} from '@synapse/core'
import { buildArchive, type PluginArchive } from './build-archive'

/** A plugin folder packed and ready to publish: its config, its archive, what was left out. */
export interface PreparedRelease {
  code: string
  version: string
  loaded: LoadedConfig
  packed: PluginArchive
}

/**
 * Reads the plugin's config.yaml (code and version come from it) and packs its folder. Throws
 * `CONFIG_NOT_FOUND`/`CONFIG_INVALID` naming the file, or `ARCHIVE_FAILED` when the ignore
 * rules leave config.yaml out. Nothing is written anywhere.
 */
export async function prepareRelease(pathOrDir: string): Promise<PreparedRelease> {
  const loaded = loadPluginConfig(pathOrDir)
  const packed = await buildArchive(loaded.root)
  const configFile = relative(loaded.root, loaded.path).split('\\').join('/')
  if (!packed.files.includes(configFile)) {
    throw new ArchiveError(
      `${configFile} is left out of the archive by the ignore rules (.gitignore or .synapseignore in ${loaded.root}); a plugin cannot run without it`,
      { details: { path: loaded.path } },
    )
  }
  return { code: loaded.config.code, version: loaded.config.version, loaded, packed }
}

/**
 * Publishes a prepared release. An existing version is refused with `VERSION_EXISTS` before
 * the archive is sent; the registry refuses it again if another publisher got there between.
 */
export async function publishRelease(
  registry: PluginRegistry,
  prepared: PreparedRelease,
): Promise<PluginRelease> {
  const { code, version, packed, loaded } = prepared
  if ((await registry.versions(code)).includes(version)) {
    throw new PluginError(
      `${code}@${version} is already published; versions are immutable, raise the version in ${loaded.path}`,
      { code: 'VERSION_EXISTS', details: { code, version, config: loaded.path } },
    )
  }
  return registry.publish(packed.archive, {
    code,
    version,
    checksum: packed.checksum,
    files: packed.files,
    config: toJsonValue(loaded.config),
  })
}
