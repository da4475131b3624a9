// @synapse/registry/install — only what running a release by code@version needs: open the
// registry, install the release into the cache. A run pays for nothing else of the package
// (packing, publishing, the HTTP server) at its start.
export { defaultPluginCacheDir, openRegistry } from './open-registry'
// Its errors keep their kinds (a bad token is bad input, not a failure): exporting the table
// loads the module that registers it.
export { REGISTRY_ERROR_KINDS } from './registry-error-codes'
export { RegistryInstaller } from './registry-installer'
