/**
 * The config.yaml key an action gets when its code names none: the export's name without an
 * `Action` suffix, in kebab-case. `TrainAction` → `train`, `AddTaskDataAction` →
 * `add-task-data` (the Python SDK lowercases to `addtaskdata`), `labelStats` → `label-stats`.
 */
export function actionNameOf(exportName: string): string {
  const stem =
    exportName.endsWith('Action') && exportName !== 'Action'
      ? exportName.slice(0, -'Action'.length)
      : exportName
  return stem
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase()
}
