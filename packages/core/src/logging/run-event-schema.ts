import { z } from 'zod'
import { LogLevel, RunStatus } from '../enums'
import type { SerializedError } from '../errors/plugin-error'
import type { RunEvent } from './run-event'

/** The JSON shape of a serialised error and its cause chain. */
export const SerializedErrorSchema: z.ZodType<SerializedError> = z.object({
  name: z.string(),
  code: z.string().optional(),
  message: z.string(),
  details: z.record(z.string(), z.json()).optional(),
  retryable: z.boolean().optional(),
  stack: z.string().optional(),
  get cause() {
    return SerializedErrorSchema.optional()
  },
}) as unknown as z.ZodType<SerializedError>

const header = {
  runId: z.string().min(1),
  seq: z.number().int().positive(),
  time: z.iso.datetime(),
}

/**
 * The schema of {@link RunEvent}: what every transport (a queue, a job's stdout, the run store)
 * checks at its boundary. Bodies hold JSON only, so an event that passes survives
 * `JSON.stringify` and `JSON.parse` unchanged.
 */
export const RunEventSchema = z.discriminatedUnion('type', [
  z.object({ ...header, type: z.literal('status'), status: z.enum(RunStatus) }),
  z.object({
    ...header,
    type: z.literal('log'),
    level: z.enum(LogLevel),
    event: z.string(),
    data: z.record(z.string(), z.json()),
    file: z.string().optional(),
    category: z.string().optional(),
  }),
  z.object({
    ...header,
    type: z.literal('progress'),
    category: z.string(),
    current: z.number().nonnegative(),
    total: z.number().positive(),
    percent: z.number().min(0).max(100),
    etaSeconds: z.number().nullable(),
    elapsedSeconds: z.number().nonnegative(),
    failed: z.boolean().optional(),
  }),
  z.object({
    ...header,
    type: z.literal('metrics'),
    category: z.string(),
    values: z.record(z.string(), z.json()),
  }),
  z.object({ ...header, type: z.literal('result'), result: z.json() }),
  z.object({ ...header, type: z.literal('error'), error: SerializedErrorSchema }),
]) as unknown as z.ZodType<RunEvent>
