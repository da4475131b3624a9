/** 1-based line and column of a character offset in `text`. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  const end = Math.min(offset, text.length)
  let i = text.indexOf('\n')
  while (i !== -1 && i < end) {
    line++
    lineStart = i + 1
    i = text.indexOf('\n', lineStart)
  }
  return { line, column: end - lineStart + 1 }
}

/** Renders a path as `$.images[3].file_name`. */
export function jsonPath(parts: readonly (string | number | symbol)[]): string {
  let out = '$'
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`
    else if (typeof p === 'string' && /^[A-Za-z_$][\w$]*$/.test(p)) out += `.${p}`
    else out += `[${JSON.stringify(String(p))}]`
  }
  return out
}
