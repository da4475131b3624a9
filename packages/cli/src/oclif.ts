// The oclif runtime that bin/run.js starts. It is compiled into the CLI's own chunks (see
// tsup.config.ts), so bin/run.js must reach it through this entry, and the commands share the
// same copy.
import { execute, settings } from '@oclif/core'

// The CLI always runs from its build. Left on, oclif looks for TypeScript sources whenever
// NODE_ENV is `development` or `test`, loading the TypeScript compiler into every command
// (about 280 ms a start) for a user whose shell happens to set it.
settings.enableAutoTranspile = false

export { execute }
