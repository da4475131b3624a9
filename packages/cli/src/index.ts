// @synapse/cli — the `synapse` command line. oclif finds each command in its own file under
// dist/commands (from oclif.manifest.json, written at build), so a command loads only its own
// code; this entry is for programs that embed the CLI's executors.
export { createExecutors } from './executors'
export { commandNotFound } from './hooks/command-not-found'
