import type { ImageRecord } from './model'

/** Images grouped by split, splits in first-seen order, images in their dataset order. */
export function groupBySplit(images: readonly ImageRecord[]): Map<string, ImageRecord[]> {
  const out = new Map<string, ImageRecord[]>()
  for (const img of images) {
    let list = out.get(img.split)
    if (list === undefined) {
      list = []
      out.set(img.split, list)
    }
    list.push(img)
  }
  return out
}

/** Which YOLO `data.yaml` key a split name belongs to (`val2017` → `val`). */
export function yoloSplitKey(split: string): 'train' | 'val' | 'test' {
  const s = split.toLowerCase()
  if (s.startsWith('val')) return 'val'
  if (s.startsWith('test')) return 'test'
  return 'train'
}
