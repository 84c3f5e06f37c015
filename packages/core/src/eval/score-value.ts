/**
 * @module eval/score-value
 * What a score's value means: its data type (given or read off the value), whether it fits the
 * project's score config (type, range, categories), how it is stored (a number and a label), and
 * whether it counts as a pass. Ingest checks writes with it; the console offers values with it.
 */
import type { ScoreConfig, ScoreDataType, ScoreValue } from '@sightline/schema'

/** How a value is stored: `value` numeric (boolean 1/0, categorical 0 and unused), `label` text. */
export interface StoredValue {
  dataType: ScoreDataType
  value: number
  label: string
}

export function dataTypeOf(value: ScoreValue): ScoreDataType {
  return typeof value === 'number' ? 'numeric' : typeof value === 'boolean' ? 'boolean' : 'categorical'
}

/**
 * The problem with a value under an optional declared type and the name's config, or null when it
 * fits. Messages say what was expected, for the 400.
 * @example checkScoreValue(7, undefined, { name: 'rating', dataType: 'numeric', min: 1, max: 5 }) // 'value 7 is out of
 * range 1–5 …'
 */
export function checkScoreValue(
  value: ScoreValue,
  declared: ScoreDataType | undefined,
  config: ScoreConfig | undefined,
): string | null {
  const actual = dataTypeOf(value)
  if (declared && declared !== actual)
    return `dataType is ${declared} but the value ${JSON.stringify(value)} is ${actual}`
  if (!config) return null
  if (config.dataType !== actual)
    return `score config '${config.name}' takes ${config.dataType} values, not ${actual} (${JSON.stringify(value)})`
  if (
    typeof value === 'number' &&
    config.min !== undefined &&
    config.max !== undefined &&
    (value < config.min || value > config.max)
  ) {
    return `value ${value} is out of range ${config.min}–${config.max} for score config '${config.name}'`
  }
  if (typeof value === 'string' && config.categories && !config.categories.includes(value)) {
    return `'${value}' is not a category of score config '${config.name}' (${config.categories.join(', ')})`
  }
  return null
}

export function toStoredValue(value: ScoreValue, label = ''): StoredValue {
  if (typeof value === 'number') return { dataType: 'numeric', value, label }
  if (typeof value === 'boolean') return { dataType: 'boolean', value: value ? 1 : 0, label: value ? 'true' : 'false' }
  return { dataType: 'categorical', value: 0, label: value }
}

/** The API's value back from the stored columns; null for a failed evaluation. */
export function fromStoredValue(
  dataType: ScoreDataType,
  value: number,
  label: string,
  error: string,
): ScoreValue | null {
  if (error) return null
  if (dataType === 'boolean') return value === 1
  if (dataType === 'categorical') return label
  return value
}

/** The number a value adds to a mean: numeric as is, boolean 1/0, categorical none. */
export function numericOf(dataType: ScoreDataType, value: number): number | null {
  return dataType === 'categorical' || !Number.isFinite(value) ? null : value
}

/** Whether a value passes under the config; null when the score has no pass rule. */
export function passes(
  dataType: ScoreDataType,
  value: number,
  label: string,
  config: ScoreConfig | undefined,
): boolean | null {
  if (dataType === 'boolean') return value === 1
  if (dataType === 'numeric') return config?.passThreshold === undefined ? null : value >= config.passThreshold
  return config?.passValues ? config.passValues.includes(label) : null
}

/** In words, for the console and the API's `passRule`. */
export function passRuleOf(dataType: ScoreDataType | undefined, config: ScoreConfig | undefined): string | null {
  if (dataType === 'boolean' || config?.dataType === 'boolean') return 'true passes'
  if (config?.passThreshold !== undefined) return `≥ ${config.passThreshold} passes`
  if (config?.passValues) return `${config.passValues.join(' or ')} passes`
  return null
}
