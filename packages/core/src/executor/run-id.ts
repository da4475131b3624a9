/** Run ids become directory names and Redis keys: keep them to a safe alphabet. */
export function isValidRunId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id)
}
