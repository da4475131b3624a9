import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { type ConfigSyncResult, syncPluginConfig } from '@synapse/authoring'
import { type RenderedPlugin, TemplateError } from '@synapse/templates'
import { linkSdk, type SdkLocation } from './plugin-sdk'

/** Throws `PLUGIN_TARGET_EXISTS` when `target` exists and is not an empty folder. */
export function checkTargetFree(target: string): void {
  if (!existsSync(target)) return
  const empty = statSync(target).isDirectory() && readdirSync(target).length === 0
  if (!empty) {
    throw new TemplateError(
      'PLUGIN_TARGET_EXISTS',
      `${target} already exists and is not empty; choose another --code or --path, or remove it`,
      { details: { path: target } },
    )
  }
}

/** What {@link writePlugin} did. */
export interface WrittenPlugin {
  path: string
  files: string[]
  /** The config sync run on the new files, or why it could not run. */
  sync: ConfigSyncResult | { skipped: string }
  linked: boolean
}

/**
 * Writes a rendered plugin to `target`: every file goes into a temporary folder beside it, the
 * config is synced from the code there (the params forms of train and upload come from the
 * code's schemas, through the SDK linked in for the purpose), and the folder is renamed into
 * place last, so a failure at any point leaves nothing. With `link`, the SDK links stay as the
 * plugin's `node_modules`, so it runs and tests without an install.
 */
export async function writePlugin(
  rendered: RenderedPlugin,
  target: string,
  options: { sdk: SdkLocation; link: boolean },
): Promise<WrittenPlugin> {
  checkTargetFree(target)
  mkdirSync(dirname(target), { recursive: true })
  const stage = mkdtempSync(join(dirname(target), `.${basename(target)}-`))
  // mkdtemp makes the folder private; the plugin folder is an ordinary one.
  chmodSync(stage, 0o755)
  try {
    for (const [name, text] of Object.entries(rendered.files)) {
      const path = join(stage, ...name.split('/'))
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(path, text)
    }
    const missing = linkSdk(stage, options.sdk)
    const needed = [...rendered.template.sdk, 'zod']
    const unlinked = needed.filter((n) => missing.includes(n))
    const sync: WrittenPlugin['sync'] =
      unlinked.length > 0
        ? { skipped: `${unlinked.join(', ')} not found next to the CLI` }
        : await syncPluginConfig(stage)
    if (!options.link) rmSync(join(stage, 'node_modules'), { recursive: true, force: true })
    // Checked again: something may have appeared there meanwhile.
    checkTargetFree(target)
    if (existsSync(target)) rmdirSync(target)
    renameSync(stage, target)
    return {
      path: target,
      files: Object.keys(rendered.files).sort(),
      sync,
      linked: options.link,
    }
  } catch (error) {
    rmSync(stage, { recursive: true, force: true })
    throw error
  }
}
