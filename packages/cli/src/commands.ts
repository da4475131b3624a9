import { DatasetConvert } from './commands/dataset/convert'
import { DatasetStats } from './commands/dataset/stats'
import { DatasetValidate } from './commands/dataset/validate'
import { PluginRun } from './commands/plugin/run'

/** Every command, by id (`topic:name`; typed as `topic name`). oclif loads this map. */
export const COMMANDS = {
  'plugin:run': PluginRun,
  'dataset:convert': DatasetConvert,
  'dataset:validate': DatasetValidate,
  'dataset:stats': DatasetStats,
}
