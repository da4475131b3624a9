import { DatasetError } from '../errors'
import type { Dataset, ImageRecord } from '../model'

/**
 * Names from the input that writers turn into paths: split names (one folder or file-name part
 * each) and image file names (relative paths; subfolders are kept, as COCO allows). Checked for
 * the whole dataset before a writer creates anything, so a refused name leaves no file at all.
 */
export function checkOutputNames(dataset: Dataset): void {
  const splits = new Set<string>()
  for (const img of dataset.images) {
    if (!splits.has(img.split)) {
      checkSplitName(img.split)
      splits.add(img.split)
    }
    checkImageFileName(img)
  }
}

/**
 * A split name is `''` (no splits) or a single path segment: it names a folder
 * (`images/<split>`), a file (`instances_<split>.json`, `ImageSets/Main/<split>.txt`) or both.
 */
export function checkSplitName(split: string): void {
  if (split !== '') checkFolderName(split, 'split name')
}

/** `value` (a split or class name that becomes a folder) must be a single path segment. */
export function checkFolderName(value: string, what: string): void {
  const problem =
    value === '' || value === '.' || value === '..'
      ? 'is not a folder name'
      : /[/\\]/.test(value)
        ? 'holds a path separator'
        : hasControl(value)
          ? 'holds a control character'
          : undefined
  if (problem !== undefined) {
    throw new DatasetError(
      'DATASET_PATH_ERROR',
      `${what} ${JSON.stringify(value)} ${problem}; it must be one folder name`,
      { details: { [what.replace(' ', '_')]: value } },
    )
  }
}

/** An image file name is a relative `/`-separated path whose segments never climb. */
export function checkImageFileName(img: ImageRecord): void {
  const problem = fileNameProblem(img.fileName)
  if (problem === undefined) return
  throw new DatasetError(
    'DATASET_PATH_ERROR',
    `image file name ${JSON.stringify(img.fileName)} (image ${img.id}${img.split === '' ? '' : `, split ${JSON.stringify(img.split)}`}) ${problem}; it would become a path outside its folder`,
    { details: { fileName: img.fileName, imageId: img.id, split: img.split } },
  )
}

/** Why `name` cannot become a path below an output folder, or `undefined` when it can. */
export function fileNameProblem(name: string): string | undefined {
  if (name === '') return 'is empty'
  if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) {
    return 'is absolute'
  }
  if (hasControl(name)) return 'holds a control character'
  for (const segment of name.split(/[/\\]/)) {
    if (segment === '..') return 'climbs with ..'
  }
  return undefined
}

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 32) return true
  return false
}
