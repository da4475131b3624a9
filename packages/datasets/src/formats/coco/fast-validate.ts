import type { CocoAnnotation } from './schema'

const isInt = Number.isInteger
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
