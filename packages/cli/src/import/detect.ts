/** Reading a run file (JSON or JSONL) and recognising which agent wrote it. */
import { convertOpenHands } from './openhands.js'
import { convertSweAgent } from './swe-agent.js'
import { convertTauBench } from './tau-bench.js'
import type { Converter, Format } from './types.js'

export const CONVERTERS: Record<Format, Converter> = {
  'tau-bench': convertTauBench,
  'swe-agent': convertSweAgent,
  openhands: convertOpenHands,
}

/** JSON first; a file that is not one JSON value is read as JSON Lines (OpenHands `output.jsonl`). */
export function parseRunFile(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch (jsonError) {
    const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '')
    if (lines.length < 2) throw new Error(`${fileName}: not JSON: ${(jsonError as Error).message}`)
    return lines.map((line, i) => {
      try {
        return JSON.parse(line) as unknown
      } catch (lineError) {
        throw new Error(`${fileName}: line ${i + 1} is not JSON: ${(lineError as Error).message}`)
      }
    })
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The format whose distinctive top-level keys the file has, or undefined. */
export function detectFormat(data: unknown, fileName: string): Format | undefined {
  if (fileName.endsWith('.traj')) return 'swe-agent'
  const first: unknown = Array.isArray(data) ? data[0] : data
  if (!isObject(first)) return undefined
  if ('trajectory' in first && !Array.isArray(data)) return 'swe-agent'
  if ('traj' in first && 'task_id' in first) return 'tau-bench'
  if ('history' in first || ('source' in first && 'timestamp' in first)) return 'openhands'
  return undefined
}
