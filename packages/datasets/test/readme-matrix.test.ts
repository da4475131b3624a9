import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { renderConversionMatrix } from '../src/capabilities'

const START = '<!-- conversion matrix: rendered from src/capabilities.ts -->'
const END = '<!-- end of conversion matrix -->'

/** The README's matrix, between its markers. */
function readmeMatrix(readme: string): string | undefined {
  const a = readme.indexOf(START)
  const b = readme.indexOf(END)
  if (a === -1 || b === -1) return undefined
  return readme.slice(a + START.length, b).trim()
}

test('the README conversion matrix is the capability table, cell for cell', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8')
  // On failure, paste the rendered table between the markers.
  expect(readmeMatrix(readme)).toBe(renderConversionMatrix())
})
