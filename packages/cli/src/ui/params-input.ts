import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { ValidationError } from '@synapse/core'

/**
 * Reads `--params`: inline JSON, `@path/to/file.json`, or `@-` for stdin. Must be a JSON object. Errors say
 * where the JSON broke (file and position) and change nothing.
 */
export async function readParams(
  input: string | undefined,
  cwd = process.cwd(),
  stdin: AsyncIterable<string | Buffer> = process.stdin,
): Promise<Record<string, unknown>> {
  if (input === undefined) return {}
  let text = input
  let source = '--params'
  if (input === '@-') {
    // Params too big for the command line (the OS limits arguments to about 128 KB) come on stdin.
    source = 'stdin'
    try {
      // Streamed, not read with readFileSync(0): a pipe may be non-blocking (EAGAIN).
      const chunks: Buffer[] = []
      for await (const chunk of stdin) chunks.push(Buffer.from(chunk))
      text = Buffer.concat(chunks).toString('utf8')
    } catch (cause) {
      throw new ValidationError('Cannot read params from stdin', [], {
        code: 'PARAMS_FILE_UNREADABLE',
        cause,
      })
    }
  } else if (input.startsWith('@')) {
    const file = resolve(cwd, input.slice(1))
    source = file
    try {
      text = readFileSync(file, 'utf8')
    } catch (cause) {
      throw new ValidationError(`Cannot read params file ${file}`, [], {
        code: 'PARAMS_FILE_UNREADABLE',
        cause,
        details: { file },
      })
    }
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    throw new ValidationError(`Invalid JSON in ${source}: ${reason}`, [], {
      code: 'PARAMS_NOT_JSON',
      cause,
      details: { source },
    })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(`Params in ${source} must be a JSON object`, [], {
      code: 'PARAMS_NOT_OBJECT',
      details: { source },
    })
  }
  return value as Record<string, unknown>
}

/** `KEY=VALUE` pairs from repeated `--env` flags. */
export function readEnvPairs(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {}
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    if (eq <= 0) {
      throw new ValidationError(`--env expects KEY=VALUE, got '${pair}'`, [], {
        code: 'INVALID_ENV_FLAG',
      })
    }
    env[pair.slice(0, eq)] = pair.slice(eq + 1)
  }
  return env
}
