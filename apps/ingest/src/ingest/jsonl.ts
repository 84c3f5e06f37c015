/**
 * Rows as JSONEachRow bytes, the spool's and the insert's format. Each line is encoded on its own
 * and the buffers concatenated: joining the lines into one string first and encoding that cost
 * three times as much (25 vs 8 µs a span, 100-span requests of ~2 KB rows, Node 20), the join alone
 * more than the stringify.
 */
export function toJsonLines(rows: readonly object[]): Buffer {
  const lines = new Array<Buffer>(rows.length)
  let bytes = 0
  for (let i = 0; i < rows.length; i++) {
    const line = Buffer.from(`${JSON.stringify(rows[i])}\n`)
    lines[i] = line
    bytes += line.length
  }
  return Buffer.concat(lines, bytes)
}
