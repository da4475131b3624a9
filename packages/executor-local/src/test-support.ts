/**
 * Test helpers (not exported by the package). Real plugins on disk come from core's testing
 * entry point, so both packages' tests load plugins exactly the same way.
 */

export { createTestPlugin } from '@synapse/core/testing'
export { z } from 'zod'
