import { existsSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { PluginLoadError } from '../errors/errors'

const TS_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx']
const CANDIDATE_SUFFIXES = [
  '',
  '.ts',
  '.mts',
  '.cts',
  '.tsx',
  '.js',
  '.mjs',
  '.cjs',
  '/index.ts',
  '/index.js',
]

export interface ParsedEntrypoint {
  /** Module path relative to the plugin root, `/`-separated, without extension. */
  module: string
  exportName: string
}

/**
 * Splits an entrypoint. `plugin/train:TrainAction` names a file and an export; the dotted form
 * `plugin.train.TrainAction` (the Python spelling) is read the same way.
 */
export function parseEntrypoint(entrypoint: string): ParsedEntrypoint {
  const colon = entrypoint.lastIndexOf(':')
  if (colon > 0) {
    return { module: entrypoint.slice(0, colon), exportName: entrypoint.slice(colon + 1) }
  }
  const dot = entrypoint.lastIndexOf('.')
  if (dot <= 0) {
    throw new PluginLoadError(`Entrypoint '${entrypoint}' names no module`, {
      code: 'INVALID_ENTRYPOINT',
      details: { entrypoint },
    })
  }
  return {
    module: entrypoint.slice(0, dot).replaceAll('.', '/'),
    exportName: entrypoint.slice(dot + 1),
  }
}

/** The file a module path names under `root`, trying the usual extensions and `index` files. */
export function resolveModuleFile(root: string, modulePath: string): string {
  const base = resolve(root, modulePath)
  for (const suffix of CANDIDATE_SUFFIXES) {
    const candidate = `${base}${suffix}`
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate
  }
  throw new PluginLoadError(`Module '${modulePath}' not found under ${root}`, {
    code: 'MODULE_NOT_FOUND',
    details: {
      root,
      module: modulePath,
      tried: CANDIDATE_SUFFIXES.map((s) => `${modulePath}${s}`),
    },
  })
}

type ScopedImport = (specifier: string, parent: string) => Promise<Record<string, unknown>>
let tsLoader: Promise<ScopedImport> | undefined
const TSX_NAMESPACE = 'synapse-plugins'

/**
 * Imports a plugin module. TypeScript sources are compiled on the fly (tsx, in its own loader
 * namespace so the host process's module resolution is untouched), so a plugin needs no build.
 */
export async function importPluginModule(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href
  try {
    if (TS_EXTENSIONS.some((ext) => file.endsWith(ext))) {
      tsLoader ??= Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]).then(
        ([esm, cjs]) => {
          // The CommonJS hooks too, in the same namespace: a .ts file with no `"type": "module"`
          // package.json above it is CommonJS to Node, and without them it fails to resolve.
          cjs.register({ namespace: TSX_NAMESPACE })
          return esm.register({ namespace: TSX_NAMESPACE }).import as ScopedImport
        },
      )
      const load = await tsLoader
      return await load(url, pathToFileURL(join(file, '..', '/')).href)
    }
    return (await import(url)) as Record<string, unknown>
  } catch (cause) {
    throw loadFailure(file, cause)
  }
}

/**
 * The error for a module that failed to load. A package the plugin imports but does not have
 * (the usual first-hour mistake: a plugin folder with no `node_modules`) says what to install and
 * where; other failures keep their reason, without the loader's internal `?namespace=` suffix.
 */
function loadFailure(file: string, cause: unknown): PluginLoadError {
  const reason = (cause instanceof Error ? cause.message : String(cause)).replaceAll(
    `?namespace=${TSX_NAMESPACE}`,
    '',
  )
  const missing = /Cannot find (?:module|package) '([^']+)'/.exec(reason)?.[1]
  if (missing !== undefined && !missing.startsWith('.') && !missing.startsWith('/')) {
    const name = missing.startsWith('@')
      ? missing.split('/').slice(0, 2).join('/')
      : (missing.split('/')[0] ?? missing)
    const root = pluginRootOf(file)
    return new PluginLoadError(
      `The plugin module ${file} imports '${name}', which is not installed for the plugin. Install it in ${root}: npm install ${name}${name === '@synapse/core' ? ' zod' : ''} (from a Synapse TS checkout: npm install file:<checkout>/packages/core)`,
      { code: 'PLUGIN_DEPENDENCY_MISSING', cause, details: { file, package: name, root } },
    )
  }
  return new PluginLoadError(`Cannot load plugin module ${file}: ${reason}`, {
    cause,
    details: { file },
  })
}

/** The nearest folder above `file` holding a config.yaml or package.json, else its own folder. */
function pluginRootOf(file: string): string {
  let dir = dirname(file)
  for (;;) {
    if (existsSync(join(dir, 'config.yaml')) || existsSync(join(dir, 'package.json'))) return dir
    const parent = dirname(dir)
    if (parent === dir) return dirname(file)
    dir = parent
  }
}
