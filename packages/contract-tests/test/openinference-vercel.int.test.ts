/**
 * The AI SDK 6 scenario with OpenInference's Vercel span processor in front of the exporter
 * (OTLP/HTTP protobuf): two conventions on the same spans. FINDINGS.md lists what it adds.
 */
import { describeContract } from './helpers/contract-suite.js'

describeContract('openinference-vercel')
