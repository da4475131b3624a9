// @synapse/executor-local — run actions in this process through core's ExecutorProtocol.
export { LocalExecutor, type LocalExecutorOptions } from './local-executor'
