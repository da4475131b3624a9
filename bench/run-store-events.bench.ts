// run-store-events: events per second appended through SqliteRunStore.appendEvents, against the
// floor of raw node:sqlite inserts of the same rows: the same table shape, the same pragmas (WAL,
// synchronous=NORMAL), one prepared insert, one transaction per batch of 100. The floor also
// turns each event into its row (header columns + JSON body), the least any store must do; what
// the ratio measures is the rest: the run lookup, the checks, folding the batch into the record.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import type { RunEvent } from '@synapse/core'
import { SqliteRunStore } from '@synapse/store-sqlite'
import { median, writeBenchResult } from './lib/bench-result'
import { interleavedMedians } from './lib/interleaved'

const BATCH = 100
const BATCHES = 200
const N = BATCH * BATCHES
const ROUNDS = 9

/** A realistic run's events: progress, log lines and metrics in turn, 100–200 bytes each. */
function runEvents(runId: string): RunEvent[] {
  const events: RunEvent[] = []
  const start = Date.parse('2026-12-04T10:00:00.000Z')
  for (let seq = 1; seq <= N; seq++) {
    const header = { runId, seq, time: new Date(start + seq * 3).toISOString() }
    const step = seq >> 1
    if (seq % 3 === 1) {
      events.push({
        ...header,
        type: 'progress',
        category: 'train',
        current: step,
        total: N,
        percent: Math.round((step / N) * 10_000) / 100,
        etaSeconds: (N - step) / 250,
        elapsedSeconds: seq / 250,
      })
    } else if (seq % 3 === 2) {
      events.push({
        ...header,
        type: 'log',
        level: 'info',
        event: 'message',
        data: { message: `batch ${step} loaded`, file: `images/train/${step}.jpg` },
      })
    } else {
      events.push({
        ...header,
        type: 'metrics',
        category: 'train',
        values: { loss: 1 / (1 + step), accuracy: step / (step + 10), lr: 0.001 },
      })
    }
  }
  return events
}

const dir = mkdtempSync(join(tmpdir(), 'synapse-bench-store-'))
const store = new SqliteRunStore({ path: join(dir, 'store.db') })

/** A raw database like the store's: same pragmas, same events table, a prepared insert. */
function rawDatabase(file: string) {
  const db = new DatabaseSync(join(dir, file))
  db.exec('PRAGMA busy_timeout = 5000')
  db.exec('PRAGMA journal_mode = WAL')
  db.exec('PRAGMA synchronous = NORMAL')
  db.exec(`CREATE TABLE events (run_id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL,
    time TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID`)
  return {
    db,
    insert: db.prepare('INSERT INTO events (run_id, seq, type, time, body) VALUES (?, ?, ?, ?, ?)'),
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
  }
}
// One file each, so that every side's table grows by the same rows and pays the same checkpoints.
const raw = rawDatabase('raw.db')
const pre = rawDatabase('prebuilt.db')

function floorRound(events: readonly RunEvent[]): number {
  const { begin, insert, commit } = raw
  const started = performance.now()
  for (let i = 0; i < N; i += BATCH) {
    begin.run()
    for (let j = i; j < i + BATCH; j++) {
      const { runId, seq, time, ...body } = events[j]!
      insert.run(runId, seq, body.type, time, JSON.stringify(body))
    }
    commit.run()
  }
  return performance.now() - started
}

/** The floor again with every row made beforehand: only SQLite's own work is timed. */
function prebuiltRound(rows: readonly [string, number, string, string, string][]): number {
  const { begin, insert, commit } = pre
  const started = performance.now()
  for (let i = 0; i < N; i += BATCH) {
    begin.run()
    for (let j = i; j < i + BATCH; j++) {
      const row = rows[j]!
      insert.run(row[0], row[1], row[2], row[3], row[4])
    }
    commit.run()
  }
  return performance.now() - started
}

async function storeRound(runId: string, events: readonly RunEvent[]): Promise<number> {
  const started = performance.now()
  await store.createRun({ runId, action: 'train', executor: 'local', params: { epochs: 10 } })
  for (let i = 0; i < N; i += BATCH) await store.appendEvents(runId, events.slice(i, i + BATCH))
  return performance.now() - started
}

// Each round writes a run of its own (the store skips seqs it already holds).
const rounds = Array.from({ length: ROUNDS + 1 }, (_, r) => runEvents(`run-${r}`))
const prebuilt = rounds.map((events) =>
  events.map((e): [string, number, string, string, string] => {
    const { runId, seq, time, ...body } = e
    return [runId, seq, body.type, time, JSON.stringify(body)]
  }),
)
/** Sizes of the JSON of whole events and of the bodies stored. */
const sizes = (json: (e: RunEvent) => string) => {
  const lengths = rounds[0]!.map((e) => json(e).length)
  return { min: Math.min(...lengths), median: median(lengths), max: Math.max(...lengths) }
}
const eventBytes = sizes((e) => JSON.stringify(e))
const bodyBytes = sizes(({ runId: _r, seq: _s, time: _t, ...body }) => JSON.stringify(body))

// Round 0 warms each side; each round has its own events, and the store its own run per round.
const ms = await interleavedMedians(ROUNDS, {
  floor: (r) => floorRound(rounds[r]!),
  store: (r) => storeRound(`run-${r}`, rounds[r]!),
  prebuilt: (r) => prebuiltRound(prebuilt[r]!),
})
const stored = await store.getRun(`run-${ROUNDS}`)
if (stored?.lastSeq !== N) throw new Error(`the store kept ${stored?.lastSeq} events, not ${N}`)
await store.close()
raw.db.close()
pre.db.close()
rmSync(dir, { recursive: true, force: true })

const floorRate = N / (ms.floor.median / 1000)
const storeRate = N / (ms.store.median / 1000)
writeBenchResult({
  name: 'run-store-events',
  metric: `events per second through SqliteRunStore.appendEvents (batches of ${BATCH})`,
  value: Math.round(storeRate),
  unit: 'events/s',
  floor: Math.round(floorRate),
  ratio: Number((storeRate / floorRate).toFixed(3)),
  extra: {
    eventsPerRound: N,
    batch: BATCH,
    rounds: ROUNDS,
    eventBytes,
    bodyBytes,
    floorMsMedian: ms.floor.median,
    storeMsMedian: ms.store.median,
    // Rows serialised beforehand: SQLite's share of the floor.
    prebuiltRowsRate: Math.round(N / (ms.prebuilt.median / 1000)),
  },
})
