// @synapse/executor-queue/testing — what tests of the queue executor (and of what runs on it)
// need. Not part of the runtime API: import it from tests only.

// A real redis-server per test file, on a free loopback port.
export {
  hasRedisServer,
  type RedisTestServer,
  type RedisTestServerOptions,
  startRedisTestServer,
} from './redis-test-server'
