import {
  isTerminalStatus,
  type JsonValue,
  type NewRunRecord,
  PluginError,
  type ReadEventsOptions,
  type RunEvent,
  RunEventSchema,
  type RunFilter,
  RunNotFoundError,
  type RunRecord,
  type RunStatus,
  type RunStore,
  type SerializedError,
} from '@synapse/core'
import { Redis } from 'ioredis'
import { QueueKeys } from './queue-keys'

/** How a {@link RedisRunStore} reaches Redis. */
export interface RedisRunStoreOptions {
  /** A connection this store borrows (left open on close), or a `redis://` URL it opens and owns. */
  connection: Redis | string
  /** Key prefix; default `synapse`. */
  prefix?: string
  /**
   * How often a follower reads again when no append was announced (a lost pub/sub message, a
   * reconnect): the upper bound on how late a follower can be. Default 1000 ms.
   */
  pollMs?: number
}

/** One event as appended: the JSON, and what it changes in the record. */
type Applied = [field: string, value: string][]

// Appends events and applies them to the record in one step. `mode` 'seq' keeps the events' own
// seqs and skips those at or below lastSeq (a retried append is harmless); 'next' numbers them
// from lastSeq + 1, for writers that take turns on one run (the submitter, then a worker, then a
// second worker after a crash) and cannot know each other's counts. Once a terminal status is
// stored nothing more is: the first ending wins, a late result is dropped.
// A field written with a leading '?' is set only if absent (startedAt stays the first start).
const APPEND = `
local last = tonumber(redis.call('HGET', KEYS[1], 'lastSeq'))
if not last then return -1 end
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'completed' or status == 'failed' or status == 'cancelled' then return 0 end
local mode = ARGV[2]
local i = 3
local appended = 0
while i <= #ARGV do
  local seq = tonumber(ARGV[i])
  local json = ARGV[i + 1]
  local n = tonumber(ARGV[i + 2])
  if mode == 'next' then seq = last + 1 end
  if seq > last and status ~= 'completed' and status ~= 'failed' and status ~= 'cancelled' then
    redis.call('ZADD', KEYS[2], seq, seq .. '|' .. json)
    for j = 0, n - 1 do
      local f = ARGV[i + 3 + 2 * j]
      local v = ARGV[i + 4 + 2 * j]
      if string.sub(f, 1, 1) == '?' then
        redis.call('HSETNX', KEYS[1], string.sub(f, 2), v)
      else
        redis.call('HSET', KEYS[1], f, v)
        if f == 'status' then status = v end
      end
    end
    last = seq
    appended = appended + 1
  end
  i = i + 3 + 2 * n
end
redis.call('HSET', KEYS[1], 'lastSeq', last)
if appended > 0 then redis.call('PUBLISH', ARGV[1], last) end
return appended
`

const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'base', ARGV[1], 'status', 'pending', 'lastSeq', 0)
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
`

type RedisWithScripts = Redis & {
  synapseAppend(record: string, events: string, ...args: (string | number)[]): Promise<number>
  synapseCreate(record: string, runs: string, ...args: (string | number)[]): Promise<number>
}

/**
 * A {@link RunStore} on Redis: any process that reaches the server reads the same runs, follows
 * the same events live (announced on pub/sub, with a poll behind it) and sees the same records.
 * Each run is a hash (its record) and a sorted set of its events by `seq`; an append and its
 * effect on the record are one Lua script, so readers never see one without the other.
 *
 * @example
 * const store = new RedisRunStore({ connection: 'redis://127.0.0.1:6379' })
 * for await (const event of store.readEvents(runId, { follow: true })) console.log(event.type)
 */
export class RedisRunStore implements RunStore {
  readonly keys: QueueKeys
  readonly #redis: RedisWithScripts
  readonly #owned: boolean
  readonly #pollMs: number
  #subscriber: Redis | undefined
  readonly #listeners = new Map<string, Set<() => void>>()
  #closed = false

  constructor(options: RedisRunStoreOptions) {
    this.keys = new QueueKeys(options.prefix)
    this.#owned = typeof options.connection === 'string'
    const redis =
      typeof options.connection === 'string'
        ? new Redis(options.connection, { maxRetriesPerRequest: null })
        : options.connection
    this.#redis = defineScripts(redis)
    this.#pollMs = options.pollMs ?? 1000
  }

  /** The connection the store writes with (shared with the executor that opened it). */
  get redis(): Redis {
    return this.#redis
  }

  async createRun(record: NewRunRecord): Promise<{ created: boolean; record: RunRecord }> {
    this.#assertOpen()
    const createdAt = record.createdAt ?? new Date().toISOString()
    const base: Omit<RunRecord, 'status' | 'lastSeq'> = {
      runId: record.runId,
      action: record.action,
      executor: record.executor,
      params: record.params,
      createdAt,
      ...(record.plugin !== undefined && { plugin: record.plugin }),
      ...(record.parentRunId !== undefined && { parentRunId: record.parentRunId }),
    }
    const created = await this.#redis.synapseCreate(
      this.keys.run(record.runId),
      this.keys.runs(),
      JSON.stringify(base),
      Date.parse(createdAt),
      record.runId,
    )
    const stored = await this.getRun(record.runId)
    if (stored === undefined) throw new RunNotFoundError(record.runId)
    return { created: created === 1, record: stored }
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    this.#assertOpen()
    return recordOf(await this.#redis.hgetall(this.keys.run(runId)))
  }

  async listRuns(filter: RunFilter = {}): Promise<RunRecord[]> {
    this.#assertOpen()
    const statuses =
      filter.status === undefined
        ? undefined
        : new Set<RunStatus>(typeof filter.status === 'string' ? [filter.status] : filter.status)
    const limit = filter.limit ?? 50
    const out: RunRecord[] = []
    // Newest first, a page at a time, until the filter has found enough.
    for (let start = 0; out.length < limit; start += 200) {
      const ids = await this.#redis.zrevrange(this.keys.runs(), start, start + 199)
      if (ids.length === 0) break
      const pipeline = this.#redis.pipeline()
      for (const id of ids) pipeline.hgetall(this.keys.run(id))
      for (const [, hash] of (await pipeline.exec()) ?? []) {
        const record = recordOf(hash as Record<string, string>)
        if (record === undefined) continue
        if (statuses !== undefined && !statuses.has(record.status)) continue
        if (filter.action !== undefined && record.action !== filter.action) continue
        if (filter.parentRunId !== undefined && record.parentRunId !== filter.parentRunId) continue
        out.push(record)
        if (out.length >= limit) break
      }
    }
    return out
  }

  async appendEvents(runId: string, events: readonly RunEvent[]): Promise<void> {
    await this.#append(runId, events, 'seq')
  }

  /**
   * Appends events numbered after whatever the run holds, ignoring their own `seq`: for the
   * several processes that write one run in turn. Nothing is stored once the run has ended.
   * Resolves to how many were stored.
   */
  appendNext(runId: string, events: readonly RunEvent[]): Promise<number> {
    return this.#append(runId, events, 'next')
  }

  async #append(runId: string, events: readonly RunEvent[], mode: 'seq' | 'next'): Promise<number> {
    this.#assertOpen()
    if (events.length === 0) return 0
    const args: (string | number)[] = [this.keys.eventsChannel(runId), mode]
    const ordered = mode === 'seq' ? [...events].sort((a, b) => a.seq - b.seq) : events
    for (const event of ordered) {
      // 'next' gives the seq; what the writer put there is a placeholder.
      const parsed = RunEventSchema.safeParse(mode === 'next' ? { ...event, seq: 1 } : event)
      if (!parsed.success) {
        throw new PluginError(
          `Event ${event.seq} of run '${runId}' is not a valid event: ${parsed.error.issues[0]?.message}`,
          { code: 'EVENT_INVALID', details: { runId, seq: event.seq } },
        )
      }
      const applied = effectOf(event)
      args.push(event.seq, JSON.stringify(event), applied.length, ...applied.flat())
    }
    const appended = await this.#redis.synapseAppend(
      this.keys.run(runId),
      this.keys.events(runId),
      ...args,
    )
    if (appended === -1) throw new RunNotFoundError(runId)
    return appended
  }

  async *readEvents(runId: string, options: ReadEventsOptions = {}): AsyncGenerator<RunEvent> {
    this.#assertOpen()
    const { follow = false, signal } = options
    const channel = this.keys.eventsChannel(runId)
    let wake: (() => void) | undefined
    // An announcement heard while a read was in flight is kept, not lost: the reply to that read
    // may have left Redis before the append, and pub/sub comes on another socket.
    let announced = false
    const onAppend = () => {
      announced = true
      wake?.()
    }
    // Subscribed before the first read, so an append between the read and the wait is heard.
    if (follow) await this.#listen(channel, onAppend)
    try {
      if ((await this.#redis.exists(this.keys.run(runId))) === 0) throw new RunNotFoundError(runId)
      let after = options.afterSeq ?? 0
      while (true) {
        announced = false
        const members = await this.#redis.zrangebyscore(
          this.keys.events(runId),
          `(${after}`,
          '+inf',
        )
        for (const member of members) {
          const event = eventOf(member)
          after = event.seq
          yield event
          if (event.type === 'status' && isTerminalStatus(event.status)) return
        }
        if (!follow || signal?.aborted || this.#closed) return
        const status = await this.#redis.hget(this.keys.run(runId), 'status')
        // Over, with its terminal event at or before `afterSeq`: nothing is to come.
        if (status !== null && isTerminalStatus(status as RunStatus)) {
          const more = await this.#redis.zcount(this.keys.events(runId), `(${after}`, '+inf')
          if (more === 0) return
          continue
        }
        if (announced) continue
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, this.#pollMs)
          function done() {
            clearTimeout(timer)
            signal?.removeEventListener('abort', done)
            wake = undefined
            resolve()
          }
          wake = done
          signal?.addEventListener('abort', done, { once: true })
        })
        if (signal?.aborted) return
      }
    } finally {
      if (follow) await this.#unlisten(channel, onAppend)
    }
  }

  /** Drops everything stored of a run (its record, events and payloads). */
  async deleteRun(runId: string): Promise<void> {
    await this.#redis
      .multi()
      .del(
        this.keys.run(runId),
        this.keys.events(runId),
        this.keys.cancelFlag(runId),
        this.keys.blob(runId, 'params'),
        this.keys.blob(runId, 'result'),
      )
      .zrem(this.keys.runs(), runId)
      .exec()
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    for (const listeners of this.#listeners.values()) for (const wake of listeners) wake()
    this.#listeners.clear()
    const subscriber = this.#subscriber
    this.#subscriber = undefined
    await subscriber?.quit().catch(() => subscriber.disconnect())
    if (this.#owned) await this.#redis.quit().catch(() => this.#redis.disconnect())
  }

  async #listen(channel: string, wake: () => void): Promise<void> {
    let listeners = this.#listeners.get(channel)
    if (listeners === undefined) {
      listeners = new Set()
      this.#listeners.set(channel, listeners)
      await this.#subscriberConnection().subscribe(channel)
    }
    listeners.add(wake)
  }

  async #unlisten(channel: string, wake: () => void): Promise<void> {
    const listeners = this.#listeners.get(channel)
    if (listeners === undefined) return
    listeners.delete(wake)
    if (listeners.size > 0) return
    this.#listeners.delete(channel)
    await this.#subscriber?.unsubscribe(channel).catch(() => {})
  }

  #subscriberConnection(): Redis {
    if (this.#subscriber === undefined) {
      const subscriber = this.#redis.duplicate()
      subscriber.on('message', (channel: string) => {
        for (const wake of this.#listeners.get(channel) ?? []) wake()
      })
      // A follower polls anyway; a lost subscriber must not crash the process.
      subscriber.on('error', () => {})
      this.#subscriber = subscriber
    }
    return this.#subscriber
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new PluginError('The run store is closed', { code: 'STORE_UNAVAILABLE' })
    }
  }
}

function defineScripts(redis: Redis): RedisWithScripts {
  const scripted = redis as RedisWithScripts
  if (typeof scripted.synapseAppend !== 'function') {
    redis.defineCommand('synapseAppend', { numberOfKeys: 2, lua: APPEND })
    redis.defineCommand('synapseCreate', { numberOfKeys: 2, lua: CREATE })
  }
  return scripted
}

/** What an event changes in its run's record. */
function effectOf(event: RunEvent): Applied {
  switch (event.type) {
    case 'status': {
      const applied: Applied = [['status', event.status]]
      if (event.status === 'running') applied.push(['?startedAt', event.time])
      if (isTerminalStatus(event.status)) applied.push(['finishedAt', event.time])
      return applied
    }
    case 'result':
      return [['result', JSON.stringify(event.result ?? null)]]
    case 'error':
      return [['error', JSON.stringify(event.error)]]
    default:
      return []
  }
}

function eventOf(member: string): RunEvent {
  const bar = member.indexOf('|')
  const event = JSON.parse(member.slice(bar + 1)) as RunEvent
  // The stored seq is the one the store gave it (appendNext renumbers).
  event.seq = Number(member.slice(0, bar))
  return event
}

function recordOf(hash: Record<string, string>): RunRecord | undefined {
  if (hash['base'] === undefined) return undefined
  const base = JSON.parse(hash['base']) as Omit<RunRecord, 'status' | 'lastSeq'>
  const record: RunRecord = {
    ...base,
    status: hash['status'] as RunStatus,
    lastSeq: Number(hash['lastSeq'] ?? 0),
  }
  if (hash['startedAt'] !== undefined) record.startedAt = hash['startedAt']
  if (hash['finishedAt'] !== undefined) record.finishedAt = hash['finishedAt']
  if (hash['result'] !== undefined) record.result = JSON.parse(hash['result']) as JsonValue
  if (hash['error'] !== undefined) record.error = JSON.parse(hash['error']) as SerializedError
  return record
}
