import { POW10 } from '../../conventions'
import { ownString } from '../../io/own-string'
import type { VocAnnotation } from './schema'

type VocObject = VocAnnotation['object'][number]
type Box = VocObject['bndbox']

/**
 * `Number(text.slice(start, end).trim())`, NaN for blank text, without the slice: a plain decimal
 * of up to 15 digits is its digits over a power of ten (both exact, so the one division rounds
 * correctly, as parsing does); anything else goes through `Number`.
 */
function numAt(text: string, start: number, end: number): number {
  while (start < end && isSpace(text.charCodeAt(start))) start++
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--
  if (start === end) return Number.NaN
  let i = start
  const negative = text.charCodeAt(i) === 0x2d
  if (negative) i++
  let int = 0
  let digits = 0
  let fracLen = -1
  for (; i < end; i++) {
    const c = text.charCodeAt(i)
    if (c >= 48 && c <= 57) {
      int = int * 10 + (c - 48)
      digits++
      if (fracLen >= 0) fracLen++
    } else if (c === 0x2e && fracLen < 0) fracLen = 0
    else return numSlow(text, start, end)
  }
  if (digits === 0 || digits > 15) return numSlow(text, start, end)
  const v = fracLen <= 0 ? int : int / POW10[fracLen]!
  return negative ? -v : v
}

function numSlow(text: string, start: number, end: number): number {
  const s = text.slice(start, end).trim()
  return s === '' ? Number.NaN : Number(s)
}

/** A VOC flag (`0`, `1`, `true`, `false`, or any number), NaN when it is none of these. */
function flagAt(text: string, start: number, end: number): number {
  if (end === start + 1) {
    const c = text.charCodeAt(start)
    if (c === 0x30) return 0
    if (c === 0x31) return 1
  }
  const s = text.slice(start, end).trim()
  return s === 'true' ? 1 : s === 'false' ? 0 : Number(s)
}

/**
 * `text.slice(start, end)`, as the shared constant when it is a name the scan knows: no string
 * to allocate per tag, and comparisons with it are then by identity.
 */
function tagName(text: string, start: number, end: number): string {
  // By length, then first letter: one comparison per tag instead of a run of them.
  const c = text.charCodeAt(start)
  let known: string | undefined
  switch (end - start) {
    case 4:
      known =
        c === 0x78 // x
          ? text.charCodeAt(start + 2) === 0x69 // i
            ? 'xmin'
            : 'xmax'
          : c === 0x79 // y
            ? text.charCodeAt(start + 2) === 0x69
              ? 'ymin'
              : 'ymax'
            : c === 0x6e // n
              ? 'name'
              : c === 0x70 // p
                ? text.charCodeAt(start + 1) === 0x6f // o
                  ? 'pose'
                  : 'path'
                : c === 0x73 // s
                  ? 'size'
                  : undefined
      break
    case 5:
      known = c === 0x77 ? 'width' : c === 0x64 ? 'depth' : undefined
      break
    case 6:
      known =
        c === 0x6f
          ? 'object'
          : c === 0x62
            ? 'bndbox'
            : c === 0x68
              ? 'height'
              : c === 0x66
                ? 'folder'
                : undefined
      break
    case 8:
      known = c === 0x66 ? 'filename' : c === 0x6f ? 'occluded' : undefined
      break
    case 9:
      known =
        c === 0x74 ? 'truncated' : c === 0x64 ? 'difficult' : c === 0x73 ? 'segmented' : undefined
      break
    case 10:
      known = c === 0x61 ? 'attributes' : undefined
      break
  }
  // The guess is confirmed in full: any other name of that length and letter is its own text.
  if (known !== undefined && text.startsWith(known, start)) return known
  return text.slice(start, end)
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09

/**
 * The usual VOC file read in one pass over its tags, without building an element tree: what
 * `parseXml` followed by the reader's element walk gives, for files made only of plain start and
 * end tags and text. Anything else (attributes, self-closing tags, comments, CDATA, entities,
 * processing instructions after the prolog, a BOM, `<attributes>`, a non-leaf where a value is
 * expected, a missing or non-numeric value) returns `undefined`, and the caller takes the full
 * path, which also names the problem and its line. Values follow the element walk: first
 * `<width>`/`<xmin>`… of their parent, last `<name>`/`<pose>`/flag of an object, last `<size>`.
 */
export function scanVoc(text: string): VocAnnotation | undefined {
  if (text.indexOf('&') !== -1) return undefined
  const len = text.length
  let pos = 0
  // Prolog: whitespace and processing instructions (`<?xml …?>`) only.
  while (true) {
    while (pos < len && isSpace(text.charCodeAt(pos))) pos++
    if (!text.startsWith('<?', pos)) break
    const end = text.indexOf('?>', pos)
    if (end === -1) return undefined
    pos = end + 2
  }
  if (!text.startsWith('<annotation>', pos)) return undefined
  pos += 12
  const out: VocAnnotation = { object: [] }
  // Open elements below the root.
  const stack: string[] = []
  // Values by first occurrence, as numbers; undefined until seen (then NaN if not a number).
  let sizeW: number | undefined
  let sizeH: number | undefined
  let sizeD: number | undefined
  let objName: string | undefined
  let objBox: Box | undefined
  let obj: Partial<VocObject> = {}
  let bx0: number | undefined
  let bx1: number | undefined
  let bx2: number | undefined
  let bx3: number | undefined
  while (true) {
    const lt = text.indexOf('<', pos)
    if (lt === -1) return undefined
    const c1 = text.charCodeAt(lt + 1)
    // Comments, CDATA, doctype and processing instructions: the full parser's business.
    if (c1 === 0x21 || c1 === 0x3f) return undefined
    if (c1 === 0x2f) {
      const name = stack.length === 0 ? 'annotation' : stack[stack.length - 1]!
      const gt = lt + 2 + name.length
      if (!text.startsWith(name, lt + 2) || text.charCodeAt(gt) !== 0x3e) return undefined
      pos = gt + 1
      if (stack.length === 0) break
      stack.pop()
      const depth = stack.length + 1
      if (depth === 1) {
        if (name === 'size') {
          if (sizeW === undefined || sizeH === undefined) return undefined
          if (!Number.isFinite(sizeW) || !Number.isFinite(sizeH)) return undefined
          const size: NonNullable<VocAnnotation['size']> = { width: sizeW, height: sizeH }
          if (sizeD !== undefined) {
            if (!Number.isFinite(sizeD)) return undefined
            size.depth = sizeD
          }
          out.size = size
        } else if (name === 'object') {
          if (objName === undefined || objName === '' || objBox === undefined) return undefined
          obj.name = objName
          obj.bndbox = objBox
          out.object.push(obj as VocObject)
        }
      } else if (depth === 2 && name === 'bndbox' && stack[0] === 'object') {
        if (
          bx0 === undefined ||
          bx1 === undefined ||
          bx2 === undefined ||
          bx3 === undefined ||
          !(
            Number.isFinite(bx0) &&
            Number.isFinite(bx1) &&
            Number.isFinite(bx2) &&
            Number.isFinite(bx3)
          )
        )
          return undefined
        objBox = { xmin: bx0, ymin: bx1, xmax: bx2, ymax: bx3 }
      }
      continue
    }
    let e = lt + 1
    while (e < len) {
      const c = text.charCodeAt(e)
      if (c === 0x3e) break
      if (isSpace(c) || c === 0x2f) return undefined
      e++
    }
    if (e >= len || e === lt + 1) return undefined
    const name = tagName(text, lt + 1, e)
    pos = e + 1
    const depth = stack.length + 1
    const parent = depth === 1 ? 'annotation' : stack[depth - 2]!
    const inObject = stack[0] === 'object'
    // Which leaf value this element is, if any: -1 none.
    let slot = -1
    if (depth === 1) {
      if (name === 'folder' || name === 'filename' || name === 'path' || name === 'segmented')
        slot = 0
    } else if (depth === 2 && parent === 'size') {
      if (name === 'width' || name === 'height' || name === 'depth') slot = 1
    } else if (depth === 2 && inObject) {
      if (name === 'attributes') return undefined
      if (
        name === 'name' ||
        name === 'pose' ||
        name === 'truncated' ||
        name === 'difficult' ||
        name === 'occluded'
      )
        slot = 2
    } else if (depth === 3 && inObject && parent === 'bndbox') {
      if (name === 'xmin' || name === 'ymin' || name === 'xmax' || name === 'ymax') slot = 3
    }
    if (slot === -1) {
      // Elements the scan does not know (`<part>`, `<actions>`, `<source>`) are kept as XML text
      // by the tree path: leave the file to it rather than drop them.
      if (
        depth === 1
          ? name !== 'size' && name !== 'object'
          : depth === 2
            ? !(inObject && name === 'bndbox')
            : true
      )
        return undefined
      stack.push(name)
      if (depth === 1) {
        if (name === 'size') {
          sizeW = undefined
          sizeH = undefined
          sizeD = undefined
        } else if (name === 'object') {
          obj = {}
          objName = undefined
          objBox = undefined
        }
      } else if (depth === 2 && inObject && name === 'bndbox') {
        bx0 = undefined
        bx1 = undefined
        bx2 = undefined
        bx3 = undefined
      }
      continue
    }
    // A leaf: its text runs to its own end tag, with nothing in between.
    const end = text.indexOf('<', pos)
    if (
      end === -1 ||
      text.charCodeAt(end + 1) !== 0x2f ||
      !text.startsWith(name, end + 2) ||
      text.charCodeAt(end + 2 + name.length) !== 0x3e
    )
      return undefined
    const start = pos
    pos = end + name.length + 3
    if (slot === 0) {
      if (name === 'segmented') {
        const v = flagAt(text, start, end)
        if (!Number.isFinite(v)) return undefined
        out.segmented = v
      } else out[name as 'folder' | 'filename' | 'path'] = ownString(text.slice(start, end))
    } else if (slot === 1) {
      if (name === 'width') sizeW ??= numAt(text, start, end)
      else if (name === 'height') sizeH ??= numAt(text, start, end)
      else sizeD ??= numAt(text, start, end)
    } else if (slot === 2) {
      if (name === 'name') objName = text.slice(start, end).trim()
      else if (name === 'pose') obj.pose = text.slice(start, end)
      else {
        const v = flagAt(text, start, end)
        if (!Number.isFinite(v)) return undefined
        obj[name as 'truncated' | 'difficult' | 'occluded'] = v
      }
    } else if (name === 'xmin') bx0 ??= numAt(text, start, end)
    else if (name === 'ymin') bx1 ??= numAt(text, start, end)
    else if (name === 'xmax') bx2 ??= numAt(text, start, end)
    else bx3 ??= numAt(text, start, end)
  }
  if (text.slice(pos).trim() !== '') return undefined
  return out
}
