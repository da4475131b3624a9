import { ArchiveError } from '@synapse/core'

/**
 * The relative path an archive entry may be written to, or an `ArchiveError` naming the entry:
 * absolute paths, drive letters, backslashes, NUL bytes and any `..` segment are refused, so no
 * entry lands outside the target directory.
 */
export function safeEntryPath(path: string): string {
  const refuse = (why: string): never => {
    throw new ArchiveError(`Unsafe entry in plugin archive: ${JSON.stringify(path)} ${why}`, {
      code: 'UNSAFE_ARCHIVE_ENTRY',
      details: { entry: path },
    })
  }
  if (path === '') refuse('has an empty path')
  if (path.includes('\0')) refuse('contains a NUL byte')
  if (path.includes('\\')) refuse('contains a backslash')
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) refuse('is an absolute path')
  const segments = path.split('/').filter((s) => s !== '' && s !== '.')
  if (segments.includes('..')) refuse("escapes the target directory ('..')")
  if (segments.length === 0) refuse('names the target directory itself')
  return segments.join('/')
}
