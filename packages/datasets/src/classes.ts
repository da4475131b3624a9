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
  for (const name of droppedNames) {
    report.loss('dropped', 'category', 'not in the class list', name)
  }
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

/** How class ids (YOLO indices, DM/VOC list positions) are ordered when no list is given. */
export type ClassOrder = 'source' | 'sorted'

/**
 * The class names synapse-sdk's DM → YOLO converter uses as ids: the names annotations use,
 * sorted by code point (Python's `sorted(set(names))`), so labels made either way agree.
 */
export function sortedClassNames(dataset: Dataset): string[] {
  const used = new Set<number>()
  for (const img of dataset.images) for (const a of img.annotations) used.add(a.categoryId)
  const names = new Set<string>()
  for (const c of dataset.categories) if (used.has(c.id)) names.add(c.name)
  return [...names].sort(compareCodePoints)
}

/** Python's string order: by Unicode code point (JavaScript's default compares UTF-16 units). */
function compareCodePoints(a: string, b: string): number {
  const x = [...a]
  const y = [...b]
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!
    if (d !== 0) return d
  }
  return x.length - y.length
}
