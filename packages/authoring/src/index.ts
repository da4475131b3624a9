// @synapse/authoring — tools for writing plugins, read as a table of contents.

// Discovery from sources: actions found by the TypeScript parser, without importing anything.
// config.yaml kept in line with the code.
export {
  type ConfigChange,
  type ConfigSyncResult,
  describeChange,
  PLATFORM_PARAMS,
  syncPluginConfig,
} from './config-sync'
// The same, completed by importing each module where it imports.
export { type ActionDiscovery, discoverActions, type ResolvedAction } from './discover-actions'
export {
  type DiscoveredAction,
  discoverActionsStatically,
  type SourceProblem,
  type StaticDiscovery,
} from './static-discovery'
