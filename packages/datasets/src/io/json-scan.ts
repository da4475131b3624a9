import { open } from 'node:fs/promises'
import { DatasetError } from '../errors'

/** Called with each element of a wanted top-level array (or a wanted non-array value, index −1). */
export type ElementFn = (key: string, index: number, text: string, offset: number) => void

const CHUNK = 8 << 20

/**
 * Walks a JSON file whose root is an object without ever holding it as one string (COCO files can
 * exceed V8's maximum string length). Top-level keys that `want` accepts have their array elements
 * (or, for non-arrays, the whole value) handed to `onElement` as text, to be `JSON.parse`d one at a
 * time; everything else is skipped at byte speed. `drain`, called between chunks, may return a
 * promise to hold the next read (backpressure). Returns the top-level keys in file order.
 */
export async function scanJsonTopLevel(
  file: string,
  want: (key: string) => boolean,
  onElement: ElementFn,
  signal?: AbortSignal,
  drain?: () => Promise<void> | undefined,
  chunkSize = CHUNK,
): Promise<string[]> {
  const handle = await open(file, 'r').catch((cause: unknown) => {
    throw new DatasetError('DATASET_IO_ERROR', 'cannot open file', { file, cause })
  })
  const keys: string[] = []
  try {
    const buf = Buffer.allocUnsafe(chunkSize)
    let base = 0
    let depth = 0
    let inString = false
    let escaped = false
    // Depth-1 parsing state: reading a key, after its colon, or inside its value.
    let expectKey = false
    let keyStart = 0
    let capturingKey = false
    let keyPieces: Buffer[] = []
    let currentKey = ''
    let afterColon = false
    let arrayMode = false // the current depth-1 value is an array we want
    let valueMode = false // the current depth-1 value is a non-array we want
    let capStart = -1 // start of the element or value being captured, in this chunk
    let pieces: Buffer[] = []
    let capOffset = 0
    let index = 0
    let done = false

    const finish = (end: number): void => {
      let text: string
      if (pieces.length === 0) text = buf.toString('utf8', capStart, end)
      else {
        pieces.push(buf.subarray(capStart, end))
        text = Buffer.concat(pieces).toString('utf8')
        pieces = []
      }
      onElement(currentKey, arrayMode ? index++ : -1, text, capOffset)
      capStart = -1
    }

    while (!done) {
      signal?.throwIfAborted()
      // Backpressure: the consumer may hold the next read until its buffers are written out.
      const waiting = drain?.()
      if (waiting !== undefined) await waiting
      const { bytesRead } = await handle.read(buf, 0, chunkSize, base)
      if (bytesRead === 0) break
      const n = bytesRead
      for (let i = 0; i < n; i++) {
        const c = buf[i]!
        if (inString) {
          if (escaped) escaped = false
          else if (c === 92) escaped = true
          else if (c === 34) {
            inString = false
            if (capturingKey) {
              keyPieces.push(buf.subarray(keyStart, i))
              currentKey = JSON.parse(`"${Buffer.concat(keyPieces).toString('utf8')}"`) as string
              keyPieces = []
              keys.push(currentKey)
              expectKey = false
              capturingKey = false
            }
          }
          continue
        }
        switch (c) {
          case 34: // "
            if (depth === 1 && expectKey) {
              keyStart = i + 1
              capturingKey = true
            } else if (depth === 1 && afterColon) startValue(i, false)
            else if (depth === 2 && arrayMode && capStart === -1) startElement(i)
            inString = true
            break
          case 123: // {
          case 91: // [
            if (depth === 0) {
              if (c !== 123) throw parseError('the root is not an object', base + i)
              expectKey = true
            } else if (depth === 1 && afterColon) startValue(i, c === 91)
            else if (depth === 2 && arrayMode && capStart === -1) startElement(i)
            depth++
            break
          case 125: // }
          case 93: // ]
            depth--
            if (depth === 1 && arrayMode && c === 93) {
              if (capStart !== -1) finish(i)
              arrayMode = false
            } else if (depth === 0) {
              if (valueMode && capStart !== -1) finish(i)
              done = true
            }
            if (depth < 0) throw parseError('unbalanced brackets', base + i)
            break
          case 44: // ,
            if (depth === 2 && arrayMode && capStart !== -1) finish(i)
            else if (depth === 1) {
              if (valueMode && capStart !== -1) finish(i)
              valueMode = false
              arrayMode = false
              expectKey = true
            }
            break
          case 58: // :
            if (depth === 1) afterColon = true
            break
          case 32:
          case 10:
          case 13:
          case 9:
            break
          default:
            if (depth === 1 && afterColon) startValue(i, false)
            else if (depth === 2 && arrayMode && capStart === -1) startElement(i)
        }
        if (done) break
      }
      // Carry what is being captured into the next chunk.
      if (capStart !== -1) {
        pieces.push(Buffer.from(buf.subarray(capStart, n)))
        capStart = 0
      }
      if (capturingKey) {
        keyPieces.push(Buffer.from(buf.subarray(keyStart, n)))
        keyStart = 0
      }
      base += n
    }
    if (!done) throw parseError('unexpected end of file (truncated?)', base)
    return keys

    function startValue(i: number, isArray: boolean): void {
      afterColon = false
      if (!want(currentKey)) return
      if (isArray) {
        arrayMode = true
        index = 0
      } else {
        valueMode = true
        capStart = i
        capOffset = base + i
      }
    }
    function startElement(i: number): void {
      capStart = i
      capOffset = base + i
    }
  } finally {
    await handle.close()
  }

  function parseError(message: string, offset: number): DatasetError {
    return new DatasetError('DATASET_PARSE_ERROR', `invalid JSON: ${message}`, {
      file,
      details: { offset },
    })
  }
}
