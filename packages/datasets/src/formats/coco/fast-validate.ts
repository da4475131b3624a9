import type { CocoAnnotation, CocoFile, CocoImage } from './schema'

// zod's `.int()` accepts safe integers only.
const isInt = Number.isSafeInteger
const isNum = (v: unknown): v is number => typeof v === 'number'

function numbers(v: unknown): boolean {
  if (!Array.isArray(v)) return false
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'number') return false
  return true
}

/**
 * The hot-path twin of `cocoAnnotationSchema`: accepts exactly what the schema accepts (never
 * more), without copying. Polygon-heavy files hold millions of numbers, and a zod pass over them
 * doubled the conversion time and most of its garbage. On `false` the caller runs the schema,
 * which produces the located issue.
 */
export function isCocoAnnotation(v: unknown): v is CocoAnnotation {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const a = v as Record<string, unknown>
  if (!isInt(a['id']) || !isInt(a['image_id']) || !isInt(a['category_id'])) return false
  const bbox = a['bbox']
  if (bbox !== undefined && !(numbers(bbox) && (bbox as number[]).length === 4)) return false
  const seg = a['segmentation']
  if (seg !== undefined) {
    if (Array.isArray(seg)) {
      for (let i = 0; i < seg.length; i++) if (!numbers(seg[i])) return false
    } else {
      if (typeof seg !== 'object' || seg === null) return false
      const { size, counts, ...rest } = seg as Record<string, unknown>
      if (Object.keys(rest).length > 0) return false
      if (!Array.isArray(size) || size.length !== 2 || !size.every((s) => isInt(s) && s >= 0))
        return false
      if (typeof counts !== 'string') {
        if (!Array.isArray(counts)) return false
        for (let i = 0; i < counts.length; i++) {
          const c = counts[i]
          if (!isInt(c) || c < 0) return false
        }
      }
    }
  }
  const area = a['area']
  if (area !== undefined && !isNum(area)) return false
  const crowd = a['iscrowd']
  if (crowd !== undefined && crowd !== 0 && crowd !== 1 && typeof crowd !== 'boolean') return false
  const kp = a['keypoints']
  if (kp !== undefined && !numbers(kp)) return false
  const nk = a['num_keypoints']
  if (nk !== undefined && !isInt(nk)) return false
  const attrs = a['attributes']
  if (attrs !== undefined && (typeof attrs !== 'object' || attrs === null || Array.isArray(attrs)))
    return false
  return true
}

const isNonNegativeInt = (v: unknown): boolean => isInt(v) && (v as number) >= 0

/** The hot-path twin of `cocoImageSchema` (one per image), on the same terms as above. */
export function isCocoImage(v: unknown): v is CocoImage {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const a = v as Record<string, unknown>
  const name = a['file_name']
  if (!isInt(a['id']) || typeof name !== 'string' || name.length === 0) return false
  const w = a['width']
  const h = a['height']
  return (w === undefined || isNonNegativeInt(w)) && (h === undefined || isNonNegativeInt(h))
}

/** The twin of `cocoFileSchema`: its zod pass copied the whole `images` and `annotations` lists. */
export function isCocoFile(v: unknown): v is CocoFile {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const f = v as Record<string, unknown>
  const licenses = f['licenses']
  const annotations = f['annotations']
  return (
    Array.isArray(f['images']) &&
    Array.isArray(f['categories']) &&
    (licenses === undefined || Array.isArray(licenses)) &&
    (annotations === undefined || Array.isArray(annotations))
  )
}
