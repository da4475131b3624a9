/**
 * A copy of `s` that does not keep the text it was cut from alive. V8 makes a slice of 13 or
 * more characters a view into its parent, so a file name sliced out of a 2 KB XML file held the
 * whole file in memory for as long as the dataset lived: 9 MB for 5,000 VOC files, promoted and
 * traced by every collection. The concatenation is flattened into a fresh string by the slice.
 */
export function ownString(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1)
}
