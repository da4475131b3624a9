import { readFileSync } from 'node:fs'

// The generated sources are files of their own (`files/<category>/<path>.tpl`), not strings in
// this package's code: they are plugin code, read and edited as such, and the import checks of
// this repository do not mistake their imports for the package's own. `../files` is the same
// folder from src/ and from dist/.
const FILES = new URL('../files/', import.meta.url)

/**
 * The text of template file `name` (`neural_net/src/train.ts`) with each `{{ key }}` replaced by
 * `values[key]`. A placeholder without a value is an error, so no file is generated half-filled.
 */
export function templateFile(name: string, values: Readonly<Record<string, string>> = {}): string {
  const text = readFileSync(new URL(`${name}.tpl`, FILES), 'utf8')
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => {
    const value = values[key]
    if (value === undefined) throw new Error(`template ${name}: no value for {{ ${key} }}`)
    return value
  })
}
