import type { LogLevel, RunEvent } from '@synapse/core'

/** One readable line for an event, e.g. `12:00:01 INFO    [train] Progress: 40% | ETA: 3s`. */
export function formatEvent(event: RunEvent): string {
  const time = event.time.slice(11, 19)
  const level = levelOf(event).toUpperCase().padEnd(8)
  return `${time} ${level}${describeEvent(event)}`
}

/** The part of {@link formatEvent} after time and level. */
export function describeEvent(event: RunEvent): string {
  switch (event.type) {
    case 'log': {
      const { message, ...rest } = event.data
      const head = event.event === 'message' ? String(message ?? '') : event.event
      const data = event.event === 'message' ? rest : event.data
      const extra = Object.keys(data).length > 0 ? ` ${compact(data)}` : ''
      const file = event.file !== undefined ? ` (file: ${event.file})` : ''
      const cat = event.category !== undefined ? `[${event.category}] ` : ''
      return `${cat}${head}${extra}${file}`
    }
    case 'progress': {
      const eta = event.etaSeconds === null ? '' : ` | ETA: ${event.etaSeconds}s`
      const state = event.failed ? ' FAILED' : ''
      return `[${event.category}] Progress: ${event.percent}%${eta}${state}`
    }
    case 'metrics':
      return `[${event.category}] Metrics: ${compact(event.values)}`
    case 'status':
      return `Run ${event.status}`
    case 'result':
      return `Result: ${compact(event.result)}`
    case 'error':
      return `${event.error.name} [${event.error.code ?? 'ERROR'}]: ${event.error.message}`
  }
}

/** The level an event is filed under: its own for logs, `error` for errors, else `info`. */
export function levelOf(event: RunEvent): LogLevel {
  if (event.type === 'log') return event.level
  if (event.type === 'error') return 'error'
  return 'info'
}

function compact(value: unknown): string {
  try {
    const text = JSON.stringify(value) ?? String(value)
    return text.length > 400 ? `${text.slice(0, 397)}...` : text
  } catch {
    return String(value)
  }
}
