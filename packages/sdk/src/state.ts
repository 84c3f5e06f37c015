/**
 * Process-wide SDK settings written by registerSightline() and read by every helper. Without a
 * registration the helpers still work: they use the global tracer (whatever OTel setup the app has)
 * and capture no content, which is the safe default.
 */
import { trace, type Tracer } from '@opentelemetry/api'
import type { Redactor } from './redaction.js'

export const TRACER_NAME = '@sightline/sdk'
export const TRACER_VERSION = '0.1.0'

export interface SdkConfig {
  /** Undefined means "the global tracer provider's tracer". */
  tracer: Tracer | undefined
  captureContent: boolean
  redact: Redactor | undefined
  /** Where registerSightline() sends spans: registerAgentCard() posts cards there too. */
  endpoint?: string | undefined
  apiKey?: string | undefined
}

const DEFAULT_CONFIG: SdkConfig = { tracer: undefined, captureContent: false, redact: undefined }

let current: SdkConfig = DEFAULT_CONFIG

/** Installs `next`; the returned function restores the defaults only if `next` is still current. */
export function installConfig(next: SdkConfig): () => void {
  current = next
  return () => {
    if (current === next) current = DEFAULT_CONFIG
  }
}

export function getConfig(): SdkConfig {
  return current
}

export function getTracer(): Tracer {
  return current.tracer ?? trace.getTracer(TRACER_NAME, TRACER_VERSION)
}
