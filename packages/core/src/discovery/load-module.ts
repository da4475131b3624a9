import { existsSync, readFileSync, statSync } from 'node:fs'
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
 * Imports a plugin module, so a TypeScript plugin needs no build. An ESM TypeScript file is first
 * imported by Node itself (type stripping, Node 22.18 and later), which costs nothing extra; what
 * stripping cannot run (enums, extensionless or `.js` imports of `.ts` files, type-only names
 * imported as values, CommonJS, `.tsx`) goes through tsx, in its own loader namespace so the
 * host's module resolution is untouched. ESM links every module before it runs any, so a file
 * that fails Node's way has run nothing when tsx takes it.
 */
export async function importPluginModule(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href
  try {
    if (!TS_EXTENSIONS.some((ext) => file.endsWith(ext))) {
      return (await import(url)) as Record<string, unknown>
    }
    if (canStripNatively(file)) {
      try {
        return await nodeImport(url)
      } catch (error) {
        if (!stripCannotRun(error)) throw error
      }
    }
    return await importWithTsx(file, url)
  } catch (cause) {
    throw loadFailure(file, cause)
  }
}

/**
 * `import()` as Node itself runs it. Written through Function so that a bundler or a test
 * runner that rewrites `import()` (vitest does) leaves it alone: what is tried here is Node's
 * own type stripping, and only Node can say whether it runs the file.
 */
const nodeImport = new Function('url', 'return import(url)') as (
  url: string,
) => Promise<Record<string, unknown>>

async function importWithTsx(file: string, url: string): Promise<Record<string, unknown>> {
  tsLoader ??= Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]).then(([esm, cjs]) => {
    // The CommonJS hooks too, in the same namespace: a .ts file with no `"type": "module"`
    // package.json above it is CommonJS to Node, and without them it fails to resolve.
    cjs.register({ namespace: TSX_NAMESPACE })
    return esm.register({ namespace: TSX_NAMESPACE }).import as ScopedImport
  })
  const load = await tsLoader
  return await load(url, pathToFileURL(join(file, '..', '/')).href)
}

/** Node strips types itself, and the file is ESM (`.mts`, or `.ts` under `"type": "module"`). */
function canStripNatively(file: string): boolean {
  if (!(process.features as { typescript?: unknown }).typescript) return false
  if (file.endsWith('.mts')) return true
  return file.endsWith('.ts') && packageTypeOf(dirname(file)) === 'module'
}

/** Errors that mean "stripping cannot run this", not "this plugin is broken". */
function stripCannotRun(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return (
    error instanceof SyntaxError ||
    code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' ||
    code === 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING' ||
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'ERR_UNKNOWN_FILE_EXTENSION' ||
    code === 'ERR_REQUIRE_ESM' ||
    // A host that runs this code in a vm without an import hook (a test runner): tsx it is.
    code === 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING'
  )
}

/** The `type` of the nearest package.json above `dir` (`commonjs` when there is none). */
function packageTypeOf(dir: string): string {
  for (let at = dir; ; at = dirname(at)) {
    const manifest = join(at, 'package.json')
    if (existsSync(manifest)) {
      try {
        const type = (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type
        return type === 'module' ? 'module' : 'commonjs'
      } catch {
        return 'commonjs'
      }
    }
    if (dirname(at) === at) return 'commonjs'
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
