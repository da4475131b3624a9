import { DatasetError } from './errors'
import type { Category, Dataset } from './model'
import type { ReportBuilder } from './report'

/**
 * Fixes the class order to `names` (the `--classes` option): categories keep their ids, missing
 * names get fresh ids after the largest, and annotations of classes not listed are dropped and
 * reported.
 */
export function applyClassOrder(
  dataset: Dataset,
  names: readonly string[],
  report: ReportBuilder,
): void {
  const seen = new Set<string>()
  for (const n of names) {
    if (seen.has(n))
      throw new DatasetError('DATASET_OPTION_ERROR', `class '${n}' is listed twice in classes`)
    seen.add(n)
  }
  const byName = new Map<string, Category>()
  for (const c of dataset.categories) if (!byName.has(c.name)) byName.set(c.name, c)
  let nextId = Math.max(0, ...dataset.categories.map((c) => c.id)) + 1
  const ordered: Category[] = names.map((name) => byName.get(name) ?? { id: nextId++, name })
  const kept = new Set(ordered.map((c) => c.id))
  const droppedNames = dataset.categories.filter((c) => !kept.has(c.id)).map((c) => c.name)
  if (droppedNames.length > 0) {
    for (const img of dataset.images) {
      const before = img.annotations.length
      img.annotations = img.annotations.filter((a) => kept.has(a.categoryId))
      const lost = before - img.annotations.length
      if (lost > 0)
        report.loss(
          'dropped',
          'annotation',
          `class not in classes (${droppedNames.slice(0, 5).join(', ')})`,
          img.fileName,
          lost,
        )
    }
  }
  dataset.categories = ordered
}
