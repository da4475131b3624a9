import { extname, join } from 'node:path'

/**
 * Hands out file names in one folder without collisions: the second `a.json` becomes
 * `a_1.json`, the third `a_2.json`. Case-insensitive, so the names stay distinct on macOS and
 * Windows too.
 */
export class UniquePaths {
  readonly #dir: string
  readonly #taken = new Set<string>()

  constructor(dir: string) {
    this.#dir = dir
  }

  /** An absolute path in the folder for `name`, distinct from every one handed out before. */
  next(name: string): string {
    const ext = extname(name)
    const stem = name.slice(0, name.length - ext.length)
    let candidate = name
    for (let n = 1; this.#taken.has(candidate.toLowerCase()); n++) candidate = `${stem}_${n}${ext}`
    this.#taken.add(candidate.toLowerCase())
    return join(this.#dir, candidate)
  }
}
