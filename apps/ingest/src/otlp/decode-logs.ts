/**
 * OTLP logs (ExportLogsServiceRequest), JSON or protobuf, decoded only as far as evaluation results
 * need: each record's trace and span ids, time, event name and attributes. The same field walkers
 * as traces, so both encodings decode identically.
 */
import { toAttributes } from './any-value.js'
import { OtlpDecodeError } from './decode-error.js'
import { readHexId } from './decode-json.js'
import type { OtlpEncoding } from './decode.js'
import { getField, isRecord, optionalString, preview, recordList, unixNano, type JsonRecord } from './fields.js'
import { ExportLogsServiceRequest } from './otlp-proto.js'
import type { Attributes } from './types.js'

export interface DecodedLogRecord {
  /** Lower-case hex, '' when the record has no trace context. */
  traceId: string
  spanId: string
  /** Unix epoch nanoseconds, decimal string ('0' when absent). */
  timeUnixNano: string
  observedTimeUnixNano: string
  eventName: string
  attributes: Attributes
}

type IdReader = (raw: unknown, path: string, byteLength: number) => string

const readBytesId: IdReader = (raw, path) => {
  if (!(raw instanceof Uint8Array)) throw OtlpDecodeError.at(path, 'expected bytes')
  return Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('hex')
}

function decodeRecord(record: JsonRecord, path: string, readId: IdReader): DecodedLogRecord {
  const id = (name: string, bytes: number) => {
    const raw = getField(record, name)
    return raw === undefined ? '' : readId(raw, `${path}.${name}`, bytes)
  }
  return {
    traceId: id('traceId', 16),
    spanId: id('spanId', 8),
    timeUnixNano: unixNano(record, 'timeUnixNano', path),
    observedTimeUnixNano: unixNano(record, 'observedTimeUnixNano', path),
    eventName: optionalString(record, 'eventName', path),
    // Evaluation attributes are a handful; the cap only bounds a hostile record.
    attributes: toAttributes(record, 'attributes', path, 1024).attributes,
  }
}

function decodeObject(request: unknown, readId: IdReader): DecodedLogRecord[] {
  if (!isRecord(request))
    throw OtlpDecodeError.at('', `expected an ExportLogsServiceRequest object, got ${preview(request)}`)
  return recordList(request, 'resourceLogs', '').flatMap((resourceLogs, i) =>
    recordList(resourceLogs, 'scopeLogs', `resourceLogs[${i}]`).flatMap((scopeLogs, j) =>
      recordList(scopeLogs, 'logRecords', `resourceLogs[${i}].scopeLogs[${j}]`).map((r, k) =>
        decodeRecord(r, `resourceLogs[${i}].scopeLogs[${j}].logRecords[${k}]`, readId),
      ),
    ),
  )
}

export function decodeLogsRequest(body: Uint8Array, encoding: OtlpEncoding): DecodedLogRecord[] {
  if (encoding === 'json') {
    const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')
    if (text.trim() === '') return []
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (err) {
      throw new OtlpDecodeError(`Malformed JSON: ${err instanceof Error ? err.message : String(err)}`)
    }
    return decodeObject(parsed, readHexId)
  }
  let message: Record<string, unknown>
  try {
    const decoded = ExportLogsServiceRequest.decode(
      Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength),
    )
    message = ExportLogsServiceRequest.toObject(decoded, { enums: Number, defaults: false })
  } catch (err) {
    throw new OtlpDecodeError(
      `Malformed protobuf ExportLogsServiceRequest (${body.length} ` +
        `bytes): ${err instanceof Error ? err.message : String(err)}`,
    )
  }
  return decodeObject(message, readBytesId)
}
