import type { VocAnnotation } from './schema'

type VocObject = VocAnnotation['object'][number]
type Box = VocObject['bndbox']

const num = (t: string | undefined): number => {
  const s = t?.trim()
  return s === undefined || s === '' ? Number.NaN : Number(s)
}
const flag = (t: string): number => {
  const s = t.trim()
  return s === 'true' ? 1 : s === 'false' ? 0 : Number(s)
}

/** The element names the scan looks at, by first character code and length. */
const KNOWN = new Map<number, string[]>()
for (const n of [
  'folder',
  'filename',
  'path',
  'segmented',
  'size',
  'width',
  'height',
  'depth',
  'object',
  'name',
  'pose',
  'truncated',
  'difficult',
  'occluded',
  'bndbox',
  'xmin',
  'ymin',
  'xmax',
  'ymax',
  'attributes',
]) {
  const key = n.charCodeAt(0) * 64 + n.length
  KNOWN.set(key, [...(KNOWN.get(key) ?? []), n])
}

/**
 * `text.slice(start, end)`, as the shared constant when it is a name the scan knows: no string
 * to allocate per tag, and comparisons with it are then by identity.
 */
function tagName(text: string, start: number, end: number): string {
  const len = end - start
  if (len < 64) {
    const names = KNOWN.get(text.charCodeAt(start) * 64 + len)
    if (names !== undefined) for (const n of names) if (text.startsWith(n, start)) return n
  }
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
  if (text.indexOf('&') !== -1 || text.indexOf('<!') !== -1) return undefined
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
  if (text.indexOf('<?', pos) !== -1) return undefined
  const out: VocAnnotation = { object: [] }
  // Open elements below the root.
  const stack: string[] = []
  let sizeW: string | undefined
  let sizeH: string | undefined
  let sizeD: string | undefined
  let objName: string | undefined
  let objBox: Box | undefined
  let obj: Partial<VocObject> = {}
  let bx: (string | undefined)[] = []
  while (true) {
    const lt = text.indexOf('<', pos)
    if (lt === -1) return undefined
    if (text.charCodeAt(lt + 1) === 0x2f) {
      const name = stack.length === 0 ? 'annotation' : stack[stack.length - 1]!
      const gt = lt + 2 + name.length
      if (!text.startsWith(name, lt + 2) || text.charCodeAt(gt) !== 0x3e) return undefined
      pos = gt + 1
      if (stack.length === 0) break
      stack.pop()
      const depth = stack.length + 1
      if (depth === 1) {
        if (name === 'size') {
          const size: NonNullable<VocAnnotation['size']> = { width: num(sizeW), height: num(sizeH) }
          if (!Number.isFinite(size.width) || !Number.isFinite(size.height)) return undefined
          if (sizeD !== undefined) {
            size.depth = num(sizeD)
            if (!Number.isFinite(size.depth)) return undefined
          }
          out.size = size
        } else if (name === 'object') {
          if (objName === undefined || objName === '' || objBox === undefined) return undefined
          out.object.push({ ...obj, name: objName, bndbox: objBox })
        }
      } else if (depth === 2 && name === 'bndbox' && stack[0] === 'object') {
        const box: Box = { xmin: num(bx[0]), ymin: num(bx[1]), xmax: num(bx[2]), ymax: num(bx[3]) }
        if (
          !(
            Number.isFinite(box.xmin) &&
            Number.isFinite(box.ymin) &&
            Number.isFinite(box.xmax) &&
            Number.isFinite(box.ymax)
          )
        )
          return undefined
        objBox = box
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
      } else if (depth === 2 && inObject && name === 'bndbox') bx = []
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
    const value = text.slice(pos, end)
    pos = end + name.length + 3
    if (slot === 0) {
      if (name === 'segmented') {
        const v = flag(value)
        if (!Number.isFinite(v)) return undefined
        out.segmented = v
      } else out[name as 'folder' | 'filename' | 'path'] = value
    } else if (slot === 1) {
      if (name === 'width') sizeW ??= value
      else if (name === 'height') sizeH ??= value
      else sizeD ??= value
    } else if (slot === 2) {
      if (name === 'name') objName = value.trim()
      else if (name === 'pose') obj.pose = value
      else {
        const v = flag(value)
        if (!Number.isFinite(v)) return undefined
        obj[name as 'truncated' | 'difficult' | 'occluded'] = v
      }
    } else {
      const i = name === 'xmin' ? 0 : name === 'ymin' ? 1 : name === 'xmax' ? 2 : 3
      bx[i] ??= value
    }
  }
  if (text.slice(pos).trim() !== '') return undefined
  return out
}
