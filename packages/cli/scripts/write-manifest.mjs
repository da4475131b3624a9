// Writes oclif.manifest.json after a build: what oclif needs to list and parse commands (ids,
// flags, args, summaries), so `synapse --help` and a mistyped command answer without loading
// any command's code.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Config } from '@oclif/core'

const root = join(import.meta.dirname, '..')
const config = await Config.load({ root, ignoreManifest: true })
const plugin = config.plugins.get(config.pjson.name)
if (plugin === undefined) throw new Error(`oclif did not load ${config.pjson.name}`)
const manifest = plugin.manifest
if (Object.keys(manifest.commands).length === 0) throw new Error('no commands in the manifest')
writeFileSync(join(root, 'oclif.manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
