#!/usr/bin/env node
// Checked before anything else loads: on an older Node the CLI would fail later, obscurely
// (`Promise.withResolvers is not a function`). node:sqlite, the run store, needs 22.13.
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(
    `synapse needs Node.js 22.13 or later; this is Node.js ${process.versions.node}\n`,
  )
  process.exit(2)
}
// Compiled code of the CLI and its dependencies is cached on disk (Node 22.1+): later starts
// skip most of the parsing, which is most of what a start costs.
const { enableCompileCache } = await import('node:module')
enableCompileCache?.()
// With --debug, stack traces point into the TypeScript sources through the shipped source maps.
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true)
const { execute } = await import('../dist/oclif.js')
await execute({ dir: import.meta.url })
