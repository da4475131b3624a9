/**
 * Test helpers (not exported by the package). Real plugins on disk come from core's own test
 * helper, so both packages' tests load plugins exactly the same way.
 */

export { z } from 'zod'
export { createTestPlugin } from '../../core/src/discovery/test-plugin'
