import { createInterface, type Interface } from 'node:readline/promises'
import type { Readable, Writable } from 'node:stream'

/** Questions asked on a terminal; an empty answer takes the default shown in brackets. */
export interface Prompter {
  text(question: string, fallback?: string): Promise<string>
  /** One choice, or several separated by commas; by number or by name. */
  choose(
    question: string,
    choices: readonly string[],
    options: { multiple: boolean; fallback: readonly string[] },
  ): Promise<string[]>
  confirm(question: string, fallback: boolean): Promise<boolean>
  close(): void
}

/** A {@link Prompter} over `input` and `output` (the terminal, or streams in a test). */
export function createPrompter(input: Readable, output: Writable): Prompter {
  const rl: Interface = createInterface({ input, output, terminal: false })
  // Lines typed ahead (or piped) are buffered, so each question reads the next one.
  const lines: string[] = []
  const waiting: ((line: string | undefined) => void)[] = []
  let ended = false
  rl.on('line', (line) => {
    const next = waiting.shift()
    if (next) next(line)
    else lines.push(line)
  })
  rl.on('close', () => {
    ended = true
    for (const next of waiting.splice(0)) next(undefined)
  })
  const ask = async (question: string): Promise<string> => {
    output.write(question)
    const line =
      lines.shift() ??
      (ended ? undefined : await new Promise<string | undefined>((r) => waiting.push(r)))
    return (line ?? '').trim()
  }

  return {
    async text(question, fallback) {
      const answer = await ask(`${question}${fallback ? ` [${fallback}]` : ''}: `)
      return answer === '' ? (fallback ?? '') : answer
    },
    async choose(question, choices, { multiple, fallback }) {
      output.write(`${question}:\n${choices.map((c, i) => `  ${i + 1}. ${c}\n`).join('')}`)
      for (;;) {
        const answer = await ask(
          `${multiple ? 'numbers or names, comma-separated' : 'number or name'} [${fallback.join(', ')}]: `,
        )
        if (answer === '') return [...fallback]
        const picked = answer
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
          .map((s) => (/^\d+$/.test(s) ? choices[Number(s) - 1] : choices.find((c) => c === s)))
        if (picked.every((p) => p !== undefined) && (multiple || picked.length === 1)) {
          return picked as string[]
        }
        if (ended) return [...fallback]
        output.write(
          `  '${answer}' is not ${multiple ? 'a list of' : 'one of'} the choices above\n`,
        )
      }
    },
    async confirm(question, fallback) {
      const answer = (await ask(`${question} [${fallback ? 'Y/n' : 'y/N'}]: `)).toLowerCase()
      return answer === '' ? fallback : answer === 'y' || answer === 'yes'
    },
    close: () => rl.close(),
  }
}
