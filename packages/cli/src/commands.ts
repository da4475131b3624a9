import { DatasetConvert } from './commands/dataset/convert'
import { DatasetStats } from './commands/dataset/stats'
import { DatasetValidate } from './commands/dataset/validate'
import { PluginRun } from './commands/plugin/run'
import { RunsList } from './commands/runs/list'
import { RunsLogs } from './commands/runs/logs'
import { RunsShow } from './commands/runs/show'

/** Every command, by id (`topic:name`; typed as `topic name`). oclif loads this map. */
export const COMMANDS = {
  'plugin:run': PluginRun,
  'dataset:convert': DatasetConvert,
  'dataset:validate': DatasetValidate,
  'dataset:stats': DatasetStats,
  'runs:list': RunsList,
  'runs:show': RunsShow,
  'runs:logs': RunsLogs,
}
