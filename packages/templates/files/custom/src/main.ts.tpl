import { defineAction } from '@synapse/core'
import { z } from 'zod'

/** The main action's params. */
export const MainParams = z.object({
  name: z.string().min(1).default('world').describe('Who to greet'),
})

/** The plugin's main action; replace the body with what the plugin does. */
export const main = defineAction(
  {
    name: 'main',
    description: 'Greet someone',
    params: MainParams,
    result: z.object({ message: z.string() }),
  },
  async ({ name }, ctx) => {
    ctx.logMessage('greeting ' + name)
    return { message: 'Hello ' + name + '!' }
  },
)
