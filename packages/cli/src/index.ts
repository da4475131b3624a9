// @synapse/cli — the `synapse` command line. oclif reads COMMANDS from here (explicit discovery,
// so one bundled file serves every command and start-up reads no directories).
export { COMMANDS } from './commands'
export { createExecutors } from './executors'
export { commandNotFound } from './hooks/command-not-found'
