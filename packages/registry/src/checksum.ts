import { createHash } from 'node:crypto'

/** SHA-256 of bytes, lowercase hex: the checksum registries record and check. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}
