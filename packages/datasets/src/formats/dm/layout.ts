import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { DatasetError } from '../../errors'

/** One DM split folder: `json/` with the annotation files, `original_files/` with the images. */
export interface DmSplitDir {
  split: string
  json: string
  originals: string
}

/**
 * DM layouts: not categorized `root/{json,original_files}`; categorized
 * `root/{train,valid[,test]}/{json,original_files}` (any split folder holding `json/` is read).
 */
export async function findDmSplits(root: string): Promise<DmSplitDir[]> {
  if (existsSync(join(root, 'json'))) {
    return [{ split: '', json: join(root, 'json'), originals: join(root, 'original_files') }]
  }
  let entries: string[]
  try {
    entries = (await readdir(root, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort()
  } catch (cause) {
    throw new DatasetError('DATASET_IO_ERROR', 'cannot read the input folder', {
      file: root,
      cause,
    })
  }
  const splits = entries
    .filter((name) => existsSync(join(root, name, 'json')))
    .map((split) => ({
      split,
      json: join(root, split, 'json'),
      originals: join(root, split, 'original_files'),
    }))
  if (splits.length === 0) {
    throw new DatasetError(
      'DATASET_LAYOUT_ERROR',
      'not a DM dataset: no json/ folder, and no split folder (train/, valid/, …) holding one',
      { file: root },
    )
  }
  return splits
}
