/**
 * Mastra exported through `@mastra/otel-exporter` (OTLP/HTTP protobuf). FINDINGS.md lists where
 * Mastra puts each fact.
 */
import { describeContract } from './helpers/contract-suite.js'

describeContract('mastra')
