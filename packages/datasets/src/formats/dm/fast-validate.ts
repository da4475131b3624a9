import type { DmV2File, DmV2Tool } from './schema'

/** `/^[A-Za-z0-9_-]+$/.test(s)` as a loop: it runs once per item of every DM file. */
function isId(s: string): boolean {
  if (s.length === 0) return false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (
      !(
        (c >= 97 && c <= 122) ||
        (c >= 65 && c <= 90) ||
        (c >= 48 && c <= 57) ||
        c === 95 ||
        c === 45
      )
    )
      return false
  }
  return true
}
const isNum = (v: unknown): v is number => typeof v === 'number'

function isPoint(p: unknown): boolean {
  return Array.isArray(p) && p.length === 2 && isNum(p[0]) && isNum(p[1])
}

function points(v: unknown, min: number): boolean {
  if (!Array.isArray(v) || v.length < min) return false
  for (let i = 0; i < v.length; i++) if (!isPoint(v[i])) return false
  return true
}

/**
 * Hot-path twins of the DM zod schemas: accept exactly what the schemas accept (never more), without
 * copying. Segmentation data can hold millions of pixel indices. On `false` the caller runs the
 * schema, which names the problem.
 */
export function isDmV2Data(tool: DmV2Tool, v: unknown): boolean {
  switch (tool) {
    case 'bounding_box':
      return (
        Array.isArray(v) &&
        v.length === 4 &&
        v.every(isNum) &&
        (v[2] as number) >= 0 &&
        (v[3] as number) >= 0
      )
    case 'polygon':
      return points(v, 3)
    case 'polyline':
      return points(v, 2)
    case 'keypoint':
      return Array.isArray(v) && (v.length === 2 || v.length === 3) && v.every(isNum)
    case 'segmentation': {
      if (!Array.isArray(v)) return false
      for (let i = 0; i < v.length; i++) {
        const x = v[i]
        if (!Number.isInteger(x) || x < 0) return false
      }
      return true
    }
    case 'relation':
      return Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string' && isId(x))
    case 'group':
      return Array.isArray(v) && v.every((x) => typeof x === 'string' && isId(x))
  }
}

/** `dmV2FileSchema` without the copy: the file and item envelopes (data is checked per tool). */
export function isDmV2File(v: unknown): v is DmV2File {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const f = v as Record<string, unknown>
  const cls = f['classification']
  if (cls !== undefined) {
    if (typeof cls !== 'object' || cls === null || Array.isArray(cls)) return false
    for (const list of Object.values(cls)) {
      if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) return false
    }
  }
  const images = f['images']
  if (!Array.isArray(images)) return false
  for (const image of images) {
    if (typeof image !== 'object' || image === null || Array.isArray(image)) return false
    for (const items of Object.values(image)) {
      if (!Array.isArray(items)) return false
      for (const item of items) {
        if (typeof item !== 'object' || item === null || Array.isArray(item)) return false
        const it = item as Record<string, unknown>
        if (typeof it['id'] !== 'string' || !isId(it['id'])) return false
        if (typeof it['classification'] !== 'string') return false
        const attrs = it['attrs']
        if (attrs !== undefined) {
          if (!Array.isArray(attrs)) return false
          for (const a of attrs) {
            if (
              typeof a !== 'object' ||
              a === null ||
              typeof (a as { name?: unknown }).name !== 'string'
            )
              return false
            if (!('value' in a)) return false
          }
        }
      }
    }
  }
  return true
}
