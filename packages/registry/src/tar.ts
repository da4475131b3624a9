import { ArchiveError } from '@synapse/core'

/** One entry of a tar archive: a regular file or a directory. */
export interface TarEntry {
  /** Path inside the archive, `/`-separated, as written (not checked: see `safeEntryPath`). */
  path: string
  type: 'file' | 'directory'
  /** Permission bits. */
  mode: number
  data: Uint8Array
}

const BLOCK = 512
const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: false })

function writeString(header: Uint8Array, offset: number, length: number, value: string): void {
  const bytes = encoder.encode(value)
  if (bytes.length > length) throw new ArchiveError(`tar field too long: ${value}`)
  header.set(bytes, offset)
}

function writeOctal(header: Uint8Array, offset: number, length: number, value: number): void {
  // length - 1 digits and a NUL, the layout every reader accepts.
  const digits = value.toString(8).padStart(length - 1, '0')
  if (digits.length > length - 1) throw new ArchiveError(`tar number too large: ${value}`)
  writeString(header, offset, length, `${digits}\0`)
}

/** Splits a long path into ustar's prefix (155 bytes) and name (100 bytes) at a `/`. */
function splitPath(path: string): { prefix: string; name: string } {
  if (encoder.encode(path).length <= 100) return { prefix: '', name: path }
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i)
    const name = path.slice(i + 1)
    if (encoder.encode(prefix).length <= 155 && encoder.encode(name).length <= 100) {
      return { prefix, name }
    }
  }
  throw new ArchiveError(`Path too long for a plugin archive (ustar limits): ${path}`, {
    details: { path },
  })
}

function header(entry: TarEntry): Uint8Array {
  const h = new Uint8Array(BLOCK)
  const isDir = entry.type === 'directory'
  const { prefix, name } = splitPath(
    isDir && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path,
  )
  writeString(h, 0, 100, name)
  writeOctal(h, 100, 8, entry.mode & 0o7777)
  writeOctal(h, 108, 8, 0)
  writeOctal(h, 116, 8, 0)
  writeOctal(h, 124, 12, isDir ? 0 : entry.data.length)
  // Fixed owner and time: the same folder always packs to the same bytes.
  writeOctal(h, 136, 12, 0)
  h[156] = isDir ? 0x35 : 0x30
  writeString(h, 257, 6, 'ustar\0')
  writeString(h, 263, 2, '00')
  writeString(h, 345, 155, prefix)
  h.fill(0x20, 148, 156)
  let sum = 0
  for (const b of h) sum += b
  writeString(h, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `)
  return h
}

/** Packs entries, in the order given, into an uncompressed ustar archive. */
export function writeTar(entries: readonly TarEntry[]): Uint8Array {
  let total = 2 * BLOCK
  for (const e of entries) total += BLOCK + Math.ceil(e.data.length / BLOCK) * BLOCK
  const out = new Uint8Array(total)
  let offset = 0
  for (const e of entries) {
    out.set(header(e), offset)
    offset += BLOCK
    if (e.type === 'file') {
      out.set(e.data, offset)
      offset += Math.ceil(e.data.length / BLOCK) * BLOCK
    }
  }
  return out
}

function readString(h: Uint8Array, offset: number, length: number): string {
  const field = h.subarray(offset, offset + length)
  const end = field.indexOf(0)
  return decoder.decode(end === -1 ? field : field.subarray(0, end))
}

function readOctal(h: Uint8Array, offset: number, length: number, what: string): number {
  const text = readString(h, offset, length).trim()
  if (!/^[0-7]*$/.test(text)) throw new ArchiveError(`Corrupt tar header: ${what} is not octal`)
  return text === '' ? 0 : Number.parseInt(text, 8)
}

/**
 * Reads a ustar archive. Only regular files and directories are accepted: links, devices and
 * extension headers are refused, since a plugin archive needs none and each is a way out of
 * the target directory.
 */
export function readTar(archive: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = []
  let offset = 0
  while (offset + BLOCK <= archive.length) {
    const h = archive.subarray(offset, offset + BLOCK)
    if (h.every((b) => b === 0)) return entries
    let sum = 0
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!
    if (sum !== readOctal(h, 148, 8, 'checksum')) {
      throw new ArchiveError(`Corrupt tar header at byte ${offset}: header checksum mismatch`)
    }
    const name = readString(h, 0, 100)
    const prefix = readString(h, 345, 155)
    const path = prefix === '' ? name : `${prefix}/${name}`
    const size = readOctal(h, 124, 12, 'size')
    const flag = String.fromCharCode(h[156]!)
    offset += BLOCK
    if (offset + size > archive.length) {
      throw new ArchiveError(`Truncated tar archive: ${path} needs ${size} bytes`)
    }
    const mode = readOctal(h, 100, 8, 'mode')
    if (flag === '0' || flag === '\0') {
      entries.push({ path, type: 'file', mode, data: archive.slice(offset, offset + size) })
    } else if (flag === '5') {
      entries.push({ path, type: 'directory', mode, data: new Uint8Array(0) })
    } else {
      throw new ArchiveError(
        `Unsupported entry in plugin archive: ${path} (tar type '${flag}'); only files and directories are allowed`,
        { details: { path, type: flag } },
      )
    }
    offset += Math.ceil(size / BLOCK) * BLOCK
  }
  throw new ArchiveError('Truncated tar archive: no end-of-archive marker')
}
