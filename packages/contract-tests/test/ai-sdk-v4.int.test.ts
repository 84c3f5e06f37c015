/**
 * Vercel AI SDK 4's built-in telemetry (OTLP/HTTP protobuf): generateText with a tool loop, then
 * streamText. FINDINGS.md lists where this version puts each fact.
 */
import { describeContract } from './helpers/contract-suite.js'

describeContract('ai-sdk-v4')
