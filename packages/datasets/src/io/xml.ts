import { DatasetError } from '../errors'
import { lineColumnAt } from './text-location'

/** An XML element: name, attributes, child elements, text, and its offset for error messages. */
export interface XmlElement {
  name: string
  attrs: Record<string, string>
  children: XmlElement[]
  text: string
  offset: number
}

// Most elements are leaves without attributes: they share these (frozen) instead of allocating.
const NO_ATTRS: Record<string, string> = Object.freeze({}) as Record<string, string>
const NO_CHILDREN: XmlElement[] = Object.freeze([]) as unknown as XmlElement[]

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

/**
 * A small strict XML parser for annotation files: elements, attributes, text, entities, CDATA,
 * comments, processing instructions and a skipped DOCTYPE. Well-formedness errors (mismatched or
 * unclosed tags, truncation) carry the line and column. About twice as fast as txml on VOC files
 * and ten times fast-xml-parser, because it does only what annotation files need.
 */
export function parseXml(text: string, file: string): XmlElement {
  let pos = 0
  const len = text.length
  const fail = (message: string, at = pos): never => {
    const { line, column } = lineColumnAt(text, at)
    throw new DatasetError('DATASET_PARSE_ERROR', `invalid XML: ${message}`, { file, line, column })
  }
  const stack: XmlElement[] = []
  let root: XmlElement | undefined
  if (text.charCodeAt(0) === 0xfeff) pos = 1
  while (pos < len) {
    const lt = text.indexOf('<', pos)
    if (lt === -1) {
      addText(text.slice(pos))
      pos = len
      break
    }
    if (lt > pos) addText(text.slice(pos, lt))
    pos = lt
    const next = text.charCodeAt(pos + 1)
    if (next === 0x2f /* / */) {
      const end = text.indexOf('>', pos)
      if (end === -1) fail('unterminated closing tag')
      const name = text.slice(pos + 2, end).trim()
      const open = stack.pop()
      if (open === undefined) fail(`closing tag </${name}> without an opening tag`)
      else if (open.name !== name) fail(`expected </${open.name}>, found </${name}>`)
      pos = end + 1
    } else if (next === 0x21 /* ! */) {
      if (text.startsWith('<!--', pos)) {
        const end = text.indexOf('-->', pos + 4)
        if (end === -1) fail('unterminated comment')
        pos = end + 3
      } else if (text.startsWith('<![CDATA[', pos)) {
        const end = text.indexOf(']]>', pos + 9)
        if (end === -1) fail('unterminated CDATA section')
        const top = stack[stack.length - 1]
        if (top) top.text += text.slice(pos + 9, end)
        pos = end + 3
      } else {
        // DOCTYPE (possibly with an internal subset in brackets).
        let depth = 0
        let i = pos + 2
        for (; i < len; i++) {
          const c = text.charCodeAt(i)
          if (c === 0x5b) depth++
          else if (c === 0x5d) depth--
          else if (c === 0x3e && depth <= 0) break
        }
        if (i >= len) fail('unterminated declaration')
        pos = i + 1
      }
    } else if (next === 0x3f /* ? */) {
      const end = text.indexOf('?>', pos)
      if (end === -1) fail('unterminated processing instruction')
      pos = end + 2
    } else {
      const start = pos
      pos++
      const nameStart = pos
      while (pos < len && !isNameEnd(text.charCodeAt(pos))) pos++
      const name = text.slice(nameStart, pos)
      if (name === '') fail('empty tag name', start)
      const el: XmlElement = {
        name,
        attrs: NO_ATTRS,
        children: NO_CHILDREN,
        text: '',
        offset: start,
      }
      // Attributes.
      while (true) {
        while (pos < len && isSpace(text.charCodeAt(pos))) pos++
        if (pos >= len) fail(`unterminated tag <${name}>`, start)
        const c = text.charCodeAt(pos)
        if (c === 0x3e || c === 0x2f) break
        const aStart = pos
        while (pos < len && text.charCodeAt(pos) !== 0x3d && !isNameEnd(text.charCodeAt(pos))) pos++
        const aName = text.slice(aStart, pos)
        while (pos < len && isSpace(text.charCodeAt(pos))) pos++
        if (text.charCodeAt(pos) !== 0x3d || aName === '') fail(`malformed attribute in <${name}>`)
        pos++
        while (pos < len && isSpace(text.charCodeAt(pos))) pos++
        const q = text.charCodeAt(pos)
        if (q !== 0x22 && q !== 0x27) fail(`unquoted attribute value in <${name}>`)
        const qEnd = text.indexOf(String.fromCharCode(q), pos + 1)
        if (qEnd === -1) fail(`unterminated attribute value in <${name}>`)
        if (el.attrs === NO_ATTRS) el.attrs = {}
        el.attrs[aName] = decodeEntities(text.slice(pos + 1, qEnd), pos, fail)
        pos = qEnd + 1
      }
      const parent = stack[stack.length - 1]
      if (parent) {
        if (parent.children === NO_CHILDREN) parent.children = []
        parent.children.push(el)
      } else if (root === undefined) root = el
      else fail('more than one root element', start)
      if (text.charCodeAt(pos) === 0x2f) {
        if (text.charCodeAt(pos + 1) !== 0x3e) fail(`malformed tag <${name}>`)
        pos += 2
      } else {
        pos++
        stack.push(el)
      }
    }
  }
  if (stack.length > 0)
    fail(`unclosed tag <${stack[stack.length - 1]!.name}> (file truncated?)`, len)
  if (root === undefined) return fail('no root element', 0)
  return root

  function addText(raw: string): void {
    const top = stack[stack.length - 1]
    if (top === undefined) {
      if (raw.trim() !== '') fail('text outside the root element')
      return
    }
    top.text += raw.indexOf('&') === -1 ? raw : decodeEntities(raw, pos, fail)
  }
}

function decodeEntities(raw: string, at: number, fail: (m: string, at?: number) => never): string {
  if (raw.indexOf('&') === -1) return raw
  return raw.replace(/&([^;\s]{1,10});/g, (_m, name: string) => {
    if (name.startsWith('#')) {
      const code = name.startsWith('#x')
        ? Number.parseInt(name.slice(2), 16)
        : Number.parseInt(name.slice(1), 10)
      if (!(code >= 0 && code <= 0x10ffff)) fail(`invalid character reference &${name};`, at)
      return String.fromCodePoint(code)
    }
    const v = ENTITIES[name]
    if (v === undefined) fail(`unknown entity &${name};`, at)
    return v as string
  })
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
}

function isNameEnd(c: number): boolean {
  return isSpace(c) || c === 0x3e || c === 0x2f
}

/** First child named `name`. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  for (const c of el.children) if (c.name === name) return c
  return undefined
}

/** Escapes text for element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  )
}

/**
 * `el` back as XML text: its attributes, then its children, or its text when it has none. Used
 * to carry elements a format reader does not interpret (VOC `<part>`, `<actions>`, `<source>`)
 * through the hub model unchanged, so the same format's writer can put them back.
 */
export function serializeXml(el: XmlElement): string {
  let open = `<${el.name}`
  for (const [k, v] of Object.entries(el.attrs)) open += ` ${k}="${escapeXml(v)}"`
  if (el.children.length === 0) {
    return el.text === '' ? `${open}/>` : `${open}>${escapeXml(el.text)}</${el.name}>`
  }
  return `${open}>${el.children.map(serializeXml).join('')}</${el.name}>`
}
