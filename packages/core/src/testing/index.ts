// @synapse/core/testing — what other packages' tests need, read as a table of contents. Not part
// of the runtime API: import it from tests only.

// Real plugins on disk, loaded the way a user's plugin is.
export { createTestPlugin, type TestPlugin } from './create-test-plugin'
