import { realpathSync } from 'node:fs'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { DatasetError } from '../errors'

/**
 * The folder a conversion writes into, and the check every created path goes through. Names
 * from the input (split names, image file names) become paths; a name that climbs (`..`), is
 * absolute, or passes through a symlink pointing elsewhere must never make a writer create a file
 * outside this folder. The check runs before the write, so nothing outside is ever touched, and
 * the atomic output (see `writeAtomically`) leaves nothing inside either.
 */
export class OutputRoot {
  readonly root: string
  /** `root` and a separator: what every path inside begins with. */
  private readonly prefix: string
  /**
   * The root with symlinks resolved (its parents may be symlinks: that is the user's choice).
   * Resolved on first use: the root itself may not exist until the first folder is made.
   */
  private real: string | undefined
  /** Folders already checked after their symlinks were resolved. */
  private readonly realChecked = new Set<string>()

  constructor(root: string) {
    this.root = resolve(root)
    this.prefix = this.root.endsWith(sep) ? this.root : `${this.root}${sep}`
  }

  /** `path` resolved, when it lies inside the root; a `DATASET_PATH_ERROR` otherwise. */
  check(path: string): string {
    // Fast path for the paths writers build (thousands per conversion): below the root and
    // without any `.`-led segment, so nothing to resolve. Anything else is resolved in full.
    // (Only the part below the root is searched: the root itself is often a `.`-led temp folder.)
    const below = this.prefix.length
    if (
      path.startsWith(this.prefix) &&
      path.indexOf(`${sep}.`, below - 1) === -1 &&
      path.indexOf('\0', below) === -1 &&
      path.charCodeAt(below) !== 46
    ) {
      return path
    }
    const abs = resolve(path)
    if (!isInside(this.root, abs)) throw escapeError(path, this.root)
    return abs
  }

  /**
   * Checks an existing folder after resolving its symlinks: a folder below the root can still be
   * a link out of it (an image symlinked into the output, then used as a folder by another name).
   */
  checkRealDir(dir: string): void {
    if (this.realChecked.has(dir)) return
    this.real ??= realpathSync(this.root)
    const real = realpathSync(dir)
    if (!isInside(this.real, real)) throw escapeError(dir, this.root, real)
    this.realChecked.add(dir)
  }
}

/** Whether `path` (absolute, resolved) is `root` itself or lies below it. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`))
}

function escapeError(path: string, root: string, real?: string): DatasetError {
  const via = real === undefined ? '' : ` (it resolves through a symlink to ${real})`
  return new DatasetError(
    'DATASET_PATH_ERROR',
    `refusing to write outside the output folder ${root}${via}`,
    { file: path },
  )
}
