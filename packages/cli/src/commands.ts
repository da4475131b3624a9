import { PluginRun } from './commands/plugin/run'

/** Every command, by id (`topic:name`; typed as `topic name`). oclif loads this map. */
export const COMMANDS = {
  'plugin:run': PluginRun,
}
