import { PluginError } from '@synapse/core'

type SqliteModule = typeof import('node:sqlite')

let loaded: SqliteModule | undefined

/**
 * Node's built-in SQLite, loaded on first use rather than at import time: Node 22 prints an
 * ExperimentalWarning when `node:sqlite` loads, and a CLI that imports this package but runs with
 * `--no-store` should not print it. On a Node without the module the error says which Node works.
 */
export function loadSqlite(file: string): SqliteModule {
  if (loaded !== undefined) return loaded
  const getBuiltin = (process as { getBuiltinModule?: (id: string) => SqliteModule | undefined })
    .getBuiltinModule
  const sqlite = withoutSqliteWarning(() => getBuiltin?.('node:sqlite'))
  if (sqlite === undefined) {
    throw new PluginError(
      `Cannot open the run store ${file}: node:sqlite is not available in Node ${process.versions.node} (the run store needs Node 22.13 or later)`,
      { code: 'STORE_UNAVAILABLE', details: { file, node: process.versions.node } },
    )
  }
  loaded = sqlite
  return sqlite
}

/**
 * Runs `load` with Node 22's one-time "SQLite is an experimental feature" warning held back: the
 * store is the CLI's default, and that line on every `synapse plugin run` says nothing a user can
 * act on. Every other warning passes through.
 */
function withoutSqliteWarning<T>(load: () => T): T {
  const emit = process.emitWarning
  process.emitWarning = function (
    this: NodeJS.Process,
    warning: string | Error,
    ...rest: unknown[]
  ) {
    const first = rest[0]
    const type = typeof first === 'string' ? first : (first as { type?: string } | undefined)?.type
    if (type === 'ExperimentalWarning' && String(warning).includes('SQLite')) return
    return (emit as (...args: unknown[]) => void).call(process, warning, ...rest)
  } as typeof process.emitWarning
  try {
    return load()
  } finally {
    process.emitWarning = emit
  }
}
