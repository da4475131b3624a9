// Runs the kill-resume pipeline to the end, or until the test kills this process.
// argv: plugin dir, store file, pipeline run id, params as JSON.
import { LocalExecutor } from '@synapse/executor-local'
import { SqliteRunStore } from '@synapse/store-sqlite'
import { killResumePipeline } from './kill-resume-pipeline'

const [pluginDir, storePath, runId, params] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
]
const store = new SqliteRunStore({ path: storePath })
const executor = new LocalExecutor({ store })
const pipeline = await killResumePipeline(pluginDir)
await pipeline.run(JSON.parse(params), { executor, store, runId })
await executor.close()
await store.close()
