/**
 * Orders versions the way people read them: numeric parts as numbers (`1.10.0` after `1.9.0`),
 * a pre-release (`1.0.0-rc.1`) before its release, anything else by text.
 */
export function compareVersions(a: string, b: string): number {
  const [coreA = '', preA] = splitPre(a)
  const [coreB = '', preB] = splitPre(b)
  const byParts = compareParts(coreA, coreB)
  if (byParts !== 0) return byParts
  if (preA === undefined || preB === undefined) {
    return preA === preB ? 0 : preA === undefined ? 1 : -1
  }
  return compareParts(preA, preB)
}

function splitPre(version: string): [string, string | undefined] {
  const plain = version.split('+')[0] ?? version
  const dash = plain.indexOf('-')
  return dash === -1 ? [plain, undefined] : [plain.slice(0, dash), plain.slice(dash + 1)]
}

function compareParts(a: string, b: string): number {
  const pa = a.split('.')
  const pb = b.split('.')
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i]
    const y = pb[i]
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1
    const nx = /^\d+$/.test(x) ? Number(x) : Number.NaN
    const ny = /^\d+$/.test(y) ? Number(y) : Number.NaN
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) {
      if (nx !== ny) return nx - ny
    } else if (x !== y) return x < y ? -1 : 1
  }
  return 0
}
