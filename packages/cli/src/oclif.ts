// The oclif runtime that bin/run.js starts. It is compiled into the CLI's own chunks (see
// tsup.config.ts), so bin/run.js must reach it through this entry, and the commands share the
// same copy.
export { execute } from '@oclif/core'
