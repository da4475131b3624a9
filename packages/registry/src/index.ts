// @synapse/registry — plugins published as archives, kept in a registry, run by code@version.
// Packing a plugin folder

export { REGISTRY_ENV } from '@synapse/core'
export {
  buildArchive,
  listPluginFiles,
  type PluginArchive,
  type PluginFileList,
} from './build-archive'
export { sha256Hex } from './checksum'
export { compareVersions } from './compare-versions'
// Tokens for HTTP registries on the client side
export {
  credentialsPath,
  readRegistryToken,
  saveRegistryToken,
  userConfigDir,
} from './credentials'
// Unpacking, safely
export { extractArchive } from './extract-archive'
export { HttpRegistry } from './http-registry'
export { DEFAULT_IGNORES, IGNORE_FILES, ignoreRulesFor } from './ignore-rules'
// Registries
export { LocalRegistry } from './local-registry'
export {
  defaultPluginCacheDir,
  defaultRegistryDir,
  isRegistryUrl,
  openRegistry,
  PLUGIN_CACHE_ENV,
  REGISTRY_TOKEN_ENV,
} from './open-registry'
// Registering the package's error codes is this module's side effect: the export keeps it loaded.
export { type PreparedRelease, prepareRelease, publishRelease } from './prepare-release'
export { REGISTRY_ERROR_KINDS, type RegistryErrorCode } from './registry-error-codes'
export { RegistryInstaller } from './registry-installer'
export {
  createRegistryServer,
  type PublishBody,
  type RegistryServerOptions,
  type RunningRegistryServer,
  startRegistryServer,
} from './registry-server'
export { RegistryTokens, type StoredToken, TOKENS_FILE } from './registry-tokens'
export { safeEntryPath } from './safe-entry-path'
export { isSecretFile } from './secret-files'
export { readTar, type TarEntry, writeTar } from './tar'
