/**
 * The MCP server's tools: small, deterministic, no network. Results are MCP `CallToolResult`s; a
 * failure the model should see is `isError: true`, as the MCP spec asks, not a protocol error.
 */
import { hashString } from '../lib/rng.js'

/** Logical MCP server name, written as `mcp.server.name` on both client and server spans. */
export const MCP_SERVER_NAME = 'demo-tools'

export interface ToolResult {
  [key: string]: unknown
  content: Array<{ type: 'text'; text: string }>
  isError?: boolean
}

const text = (value: string, isError = false): ToolResult => ({
  content: [{ type: 'text', text: value }],
  ...(isError ? { isError: true } : {}),
})

const CITIES: Record<string, { tempC: number; sky: string }> = {
  oslo: { tempC: 4, sky: 'light rain' },
  lisbon: { tempC: 19, sky: 'sunny' },
  tokyo: { tempC: 14, sky: 'overcast' },
  'new york': { tempC: 9, sky: 'windy' },
  nairobi: { tempC: 23, sky: 'scattered clouds' },
}

/**
 * An unknown place is an answer, not a failure: the API answered "not found". That is what makes
 * the buggy planner loop: nothing errors, it just keeps asking.
 */
export function weather(args: { city: string }): ToolResult {
  const found = CITIES[args.city.trim().toLowerCase()]
  if (!found) return text(JSON.stringify({ city: args.city, status: 'not found' }))
  return text(JSON.stringify({ city: args.city, temperatureC: found.tempC, conditions: found.sky }))
}

const DOCS = [
  { id: 'kb-101', title: 'Refund policy', body: 'Refunds within 30 days; above 500 EUR needs approval.' },
  { id: 'kb-214', title: 'Shipping times', body: 'EU 2-4 days, US 5-8 days, express next day.' },
  { id: 'kb-377', title: 'Warranty', body: 'Two years on hardware, parts and labour included.' },
  { id: 'kb-412', title: 'Pricing tiers', body: 'Starter 19 EUR, Team 49 EUR, Enterprise on quote.' },
  { id: 'kb-530', title: 'Travel advisories', body: 'Check local weather and strikes before booking.' },
]

export function search(args: { query: string }): ToolResult {
  const start = hashString(args.query.toLowerCase()) % DOCS.length
  const hits = [0, 1, 2].map((i) => DOCS[(start + i) % DOCS.length]!)
  return text(JSON.stringify({ query: args.query, hits }))
}

/** + - * / ( ) and numbers only: the tool evaluates arithmetic, never code. */
export function calculator(args: { expression: string }): ToolResult {
  if (!/^[\d\s+\-*/().]+$/.test(args.expression)) return text(`invalid expression: ${args.expression}`, true)
  const value = Function(`"use strict"; return (${args.expression})`)() as unknown
  if (typeof value !== 'number' || !Number.isFinite(value)) return text('expression has no finite value', true)
  return text(JSON.stringify({ expression: args.expression, value: Math.round(value * 100) / 100 }))
}

/**
 * Orders in shard 7 (ids `ord-7…`) sit on a lagging replica: the first one or two lookups of each
 * such order time out, the next succeeds. Counting per order keeps this deterministic under
 * concurrency, since each order belongs to one task.
 */
const attemptsByOrder = new Map<string, number>()

export function dbLookup(args: { table: string; id: string }): ToolResult {
  if (args.table !== 'orders' && args.table !== 'customers') return text(`unknown table ${args.table}`, true)
  const attempt = (attemptsByOrder.get(args.id) ?? 0) + 1
  attemptsByOrder.set(args.id, attempt)
  if (attemptsByOrder.size > 10_000) attemptsByOrder.clear()
  const failures = args.id.startsWith('ord-7') ? 1 + (hashString(args.id) % 2) : 0
  if (attempt <= failures) return text(`query timeout after 5000 ms on replica db-orders-7 (attempt ${attempt})`, true)
  const seed = hashString(args.id)
  return text(
    JSON.stringify({
      id: args.id,
      status: ['shipped', 'processing', 'delivered'][seed % 3],
      totalEur: 40 + (seed % 900),
      items: 1 + (seed % 4),
    }),
  )
}

/** Simulated latency medians (ms), the way each backend behaves. */
export const TOOL_LATENCY_MS: Record<string, number> = { weather: 90, search: 180, calculator: 4, db_lookup: 45 }
