/**
 * Content-Type → OTLP encoding. Matches like the collector's otlphttp receiver (mime.ParseMediaType):
 * case-insensitive, parameters such as `; charset=utf-8` allowed. `null` means answer 415.
 */
import { MIMEType } from 'node:util'
import type { OtlpEncoding } from './decode.js'

export function parseOtlpContentType(header: string | undefined | null): OtlpEncoding | null {
  if (header === undefined || header === null || header.trim() === '') return null
  let essence: string
  try {
    essence = new MIMEType(header.trim()).essence
  } catch {
    return null
  }
  if (essence === 'application/json') return 'json'
  if (essence === 'application/x-protobuf') return 'protobuf'
  return null
}
