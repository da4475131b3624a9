import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ignore, { type Ignore } from 'ignore'

/** What no plugin archive needs, ignored before any ignore file is read. */
export const DEFAULT_IGNORES: readonly string[] = [
  '.git/',
  '.hg/',
  '.svn/',
  '.synapse/',
  'node_modules/',
  'dist/',
  'coverage/',
  '.venv/',
  '__pycache__/',
  '*.pyc',
  '.DS_Store',
  '.idea/',
  '.vscode/',
  '*.log',
  '*.tgz',
]

/** Ignore files read at the plugin root, in this order (gitignore syntax, `!` re-includes). */
export const IGNORE_FILES: readonly string[] = ['.gitignore', '.synapseignore']

/** The rules for a plugin folder: the defaults, then its `.gitignore`, then its `.synapseignore`. */
export function ignoreRulesFor(root: string): Ignore {
  const rules = ignore().add([...DEFAULT_IGNORES])
  for (const file of IGNORE_FILES) {
    let text: string
    try {
      text = readFileSync(join(root, file), 'utf8')
    } catch {
      continue
    }
    rules.add(text)
  }
  return rules
}
