import { existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs'
import { dirname, join, parse, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The SDK packages a generated plugin depends on, as this CLI finds them. */
export interface SdkLocation {
  /** Package folder (real path) by package name: @synapse/core, @synapse/actions, zod, vitest. */
  dirs: Partial<Record<string, string>>
  /** True when the SDK packages are folders of a checkout rather than installed copies. */
  checkout: boolean
  /** package.json spec of each SDK package: `file:` paths for a checkout, versions otherwise. */
  specs: Record<'@synapse/core' | '@synapse/actions', string>
  /** What the plugin's README says about installing them. */
  installNote: string
}

/**
 * Where this CLI's own `@synapse/core` and `@synapse/actions` are, and `zod` and `vitest` as core
 * resolves them. Until the packages are published, a plugin made from a checkout gets `file:`
 * dependencies on that checkout's packages, which `npm install` links.
 */
export function locateSdk(): SdkLocation {
  const here = dirname(fileURLToPath(import.meta.url))
  const core = findPackage('@synapse/core', here)
  const actions = findPackage('@synapse/actions', here)
  const dirs: Partial<Record<string, string>> = {
    '@synapse/core': core,
    '@synapse/actions': actions,
  }
  if (core !== undefined) {
    dirs['zod'] = findPackage('zod', core)
    dirs['vitest'] = findPackage('vitest', core)
  }
  // An installed package sits in a node_modules folder; a workspace package does not.
  const checkout = core !== undefined && !core.split(sep).includes('node_modules')
  const spec = (name: '@synapse/core' | '@synapse/actions') => {
    const dir = dirs[name]
    if (dir === undefined) return '^0.1.0'
    if (checkout) return `file:${dir}`
    return `^${(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version}`
  }
  const specs = {
    '@synapse/core': spec('@synapse/core'),
    '@synapse/actions': spec('@synapse/actions'),
  }
  const installNote = checkout
    ? `The \`@synapse/*\` packages are not published yet: package.json takes them from the checkout at \`${dirname(dirname(core!))}\` (\`file:\` paths; build it first with \`pnpm build\`). \`npm install\` links them.`
    : 'The `@synapse/*` packages come from the npm registry.'
  return { dirs, checkout, specs, installNote }
}

/**
 * Gives `dir` a `node_modules` of links to the SDK packages (and `.bin/vitest`), so the plugin
 * imports and tests without an install. Returns the packages that could not be linked.
 */
export function linkSdk(dir: string, sdk: SdkLocation): string[] {
  const missing: string[] = []
  const modules = join(dir, 'node_modules')
  for (const name of ['@synapse/core', '@synapse/actions', 'zod', 'vitest']) {
    const target = sdk.dirs[name]
    if (target === undefined) {
      missing.push(name)
      continue
    }
    const link = join(modules, ...name.split('/'))
    mkdirSync(dirname(link), { recursive: true })
    if (!existsSync(link)) symlinkSync(target, link, 'dir')
  }
  const vitest = sdk.dirs['vitest']
  if (vitest !== undefined) {
    mkdirSync(join(modules, '.bin'), { recursive: true })
    const bin = join(modules, '.bin', 'vitest')
    if (!existsSync(bin)) symlinkSync(join(vitest, 'vitest.mjs'), bin, 'file')
  }
  return missing
}

/** The real folder of package `name` as Node resolves it from `from`, or undefined. */
function findPackage(name: string, from: string): string | undefined {
  let dir = from
  const { root } = parse(dir)
  for (;;) {
    const candidate = join(dir, 'node_modules', ...name.split('/'))
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate)
    if (dir === root) return undefined
    dir = dirname(dir)
  }
}
