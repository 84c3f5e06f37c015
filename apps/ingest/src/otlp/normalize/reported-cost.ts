/**
 * Cost the client computed itself (Langfuse cost_details, OpenInference llm.cost.*). Taken only on
 * provider-call spans for the same reason as tokens: aggregates repeat their children's cost.
 * A call whose producer says it does not know its usage (`sightline.usage.unknown`) and reports no
 * cost has an unknown cost: null and unpriced, marked `reported` so that neither the pricing step
 * nor a project price override prices it from tokens it never had.
 * Everything else is left for the pricing step, which fills `cost_usd` from tokens.
 */
import * as K from '@sightline/schema/semconv'
import type { AttrValue, Attributes } from '../types.js'
import { asObject, firstPresent } from './attributes.js'

export interface CostFields {
  costUsd: string | null
  costSource: string
  isUnpriced: boolean
}

const UNPRICED_YET: CostFields = { costUsd: null, costSource: '', isUnpriced: false }
const UNKNOWN_USAGE: CostFields = { costUsd: null, costSource: 'reported', isUnpriced: true }

export function extractReportedCost(attrs: Attributes, isProviderCall: boolean): CostFields {
  if (!isProviderCall) return UNPRICED_YET
  const total = langfuseTotal(attrs) ?? toDecimal(firstPresent(attrs, [K.ATTR_OI_COST_TOTAL]))
  if (total !== undefined) return { costUsd: total, costSource: 'reported', isUnpriced: false }
  return attrs[K.ATTR_SIGHTLINE_USAGE_UNKNOWN] === true ? UNKNOWN_USAGE : UNPRICED_YET
}

/** `total` when given, else the sum of the parts (the SDK omits total when it has one part). */
function langfuseTotal(attrs: Attributes): string | undefined {
  const details = asObject(attrs[K.ATTR_LANGFUSE_OBSERVATION_COST_DETAILS])
  if (!details) return undefined
  const total = toDecimal(details['total'])
  if (total !== undefined) return total
  const parts = Object.values(details).map((value) => toDecimal(value))
  if (parts.length === 0 || parts.some((part) => part === undefined)) return undefined
  return toDecimal(parts.reduce((sum, part) => sum + Number(part), 0))
}

/** Decimal text without exponent notation (ClickHouse Decimal rejects `1e-7`). */
export function toDecimal(value: AttrValue | undefined): string | undefined {
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())) return value.trim()
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined
  const fixed = value.toFixed(12)
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed
}
