import { packageBuild } from '../../tsup.package'

export default packageBuild({
  // `run-spec-main` is the process a job-mode worker starts per run; `testing` holds the Redis
  // test server, kept out of the runtime entry.
  entry: {
    index: 'src/index.ts',
    testing: 'src/testing/index.ts',
    'run-spec-main': 'src/run-spec-main.ts',
  },
})
