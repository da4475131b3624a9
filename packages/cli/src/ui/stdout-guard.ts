/**
 * Sends whatever is written to stdout to stderr until the returned function is called. While a
 * plugin loads and runs, stdout belongs to the result alone (`--json` output must parse), so a
 * plugin's `console.log` or a library's banner goes to stderr with the progress display.
 */
export function guardStdout(): () => void {
  const write = process.stdout.write
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write
  return () => {
    process.stdout.write = write
  }
}
