import type { JsonValue } from '../codec/json-value'

/** What a registry records of one published version of a plugin. */
export interface PluginRelease {
  code: string
  version: string
  /** SHA-256 of the archive, lowercase hex. */
  checksum: string
  /** Archive size in bytes. */
  size: number
  /** ISO timestamp of the publish. */
  publishedAt: string
  /** Paths in the archive, sorted. */
  files: string[]
  /** The plugin's config.yaml as JSON, for a registry that shows releases without unpacking. */
  config?: JsonValue
}

/** What a publisher says of an archive it hands to {@link PluginRegistry.publish}. */
export interface PublishMeta {
  code: string
  version: string
  /** The checksum the publisher computed; the registry refuses an archive that does not match. */
  checksum: string
  files: string[]
  config?: JsonValue
}

/** An archive fetched from a registry, with the checksum the registry recorded at publish. */
export interface ResolvedArchive {
  archive: Uint8Array
  release: PluginRelease
}

/**
 * Where published plugins live: a directory on this machine, or a server other machines reach.
 * Versions are immutable: publishing a version that exists fails with `VERSION_EXISTS`.
 */
export interface PluginRegistry {
  /** Stores a `.tar.gz` archive as `meta.code@meta.version`; all or nothing. */
  publish(archive: Uint8Array, meta: PublishMeta): Promise<PluginRelease>
  /** The archive of one release; `RELEASE_NOT_FOUND` when there is none. */
  resolve(code: string, version: string): Promise<ResolvedArchive>
  /** Published versions of a plugin, oldest first; empty when the code is unknown. */
  versions(code: string): Promise<string[]>
}

/**
 * Turns `code@version` into a plugin directory on this machine (fetched, checked and unpacked
 * once, then reused). `runPlugin` takes one to run plugins by reference.
 */
export interface PluginInstaller {
  /** Absolute path of the unpacked plugin. */
  install(code: string, version: string): Promise<string>
}

/**
 * Names the registry to use when none is given (a folder or an http(s) URL). It lives here, not
 * with the registries, so a command can name it without loading them.
 */
export const REGISTRY_ENV = 'SYNAPSE_REGISTRY'
