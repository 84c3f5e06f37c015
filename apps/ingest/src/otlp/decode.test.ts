/**
 * Every captured body in the shared corpus decodes, and captures of the same scenario in the two
 * encodings agree. The JSON and protobuf captures come from separate runs, so ids, times and a few
 * run-specific attribute values differ; those are compared by type only, everything else exactly.
 */
import { corpusFileNames, readCorpus } from '@sightline/testkit/corpus'
import { describe, expect, it } from 'vitest'
import { decodeExportRequest, type OtlpEncoding } from './decode.js'
import { readBody } from './read-body.js'
import type { Attributes, DecodedExportRequest } from './types.js'

const corpusFiles = corpusFileNames()

function bodyStream(data: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(data)
      controller.close()
    },
  })
}

async function decodeCorpusFile(file: string): Promise<DecodedExportRequest> {
  const raw = readCorpus(file)
  const contentEncoding = file.endsWith('.gz') ? 'gzip' : undefined
  const body = await readBody(bodyStream(raw), { contentEncoding, maxBytes: 64 * 1024 * 1024 })
  const encoding: OtlpEncoding = file.includes('.otlp.json') ? 'json' : 'protobuf'
  return decodeExportRequest(body, encoding)
}

function maskVolatile(attributes: Attributes, volatile: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, volatile.has(k) ? `<${typeof v}>` : v]))
}

/** Everything that must agree between two runs of the same scenario. */
function stableView(request: DecodedExportRequest, volatile: ReadonlySet<string>): unknown[] {
  return request.resourceSpans.flatMap((rs) =>
    rs.scopeSpans.flatMap((ss) => {
      const nameById = new Map(ss.spans.map((s) => [s.spanId, s.name]))
      return ss.spans.map((span) => ({
        resource: maskVolatile(rs.resource, volatile),
        scope: ss.scope,
        name: span.name,
        kind: span.kind,
        status: span.status,
        parent: span.parentSpanId === '' ? null : (nameById.get(span.parentSpanId) ?? 'outside this batch'),
        attributes: maskVolatile(span.attributes, volatile),
        events: span.events.map((e) => ({ name: e.name, attributes: maskVolatile(e.attributes, volatile) })),
        links: span.links.length,
      }))
    }),
  )
}

const SCENARIOS: { files: string[]; volatile: string[] }[] = [
  {
    files: [
      'otel-js-exporter-otlp-http-0.223.1__basic-genai-semconv.otlp.json',
      'otel-js-exporter-otlp-http-0.223.1__basic-genai-semconv__gzip.otlp.json.gz',
      'otel-js-exporter-otlp-proto-0.223.1__basic-genai-semconv.otlp.pb',
      'otel-js-exporter-otlp-proto-0.223.1__basic-genai-semconv__gzip.otlp.pb.gz',
    ],
    // Each capture program named its service after its exporter.
    volatile: ['service.name'],
  },
  {
    files: [
      'openinference-langchain-4.1.1+langchain-1.5.14__createAgent-tool-call.otlp.json',
      'openinference-langchain-4.1.1+langchain-1.5.14__createAgent-tool-call.otlp.pb',
    ],
    // JSON strings that embed LangChain run ids and timestamps.
    volatile: ['metadata', 'input.value', 'output.value'],
  },
  {
    files: [
      'openllmetry-traceloop-node-server-sdk-0.27.0+openai-6.49.0__workflow-agent-tool-task.otlp.json',
      'openllmetry-traceloop-node-server-sdk-0.27.0+openai-6.49.0__workflow-agent-tool-task.otlp.pb',
    ],
    // The mock server numbers its completions per process; pid differs per run.
    volatile: [
      'process.pid',
      'gen_ai.response.id',
      'gen_ai.input.messages',
      'gen_ai.output.messages',
      'traceloop.entity.output',
    ],
  },
  {
    files: [
      'vercel-ai-sdk-6.0.326__generateText-tools-multistep+streamText.otlp.json',
      'vercel-ai-sdk-6.0.326__generateText-tools-multistep+streamText.otlp.pb',
    ],
    volatile: ['ai.response.msToFirstChunk', 'ai.response.msToFinish', 'ai.response.avgOutputTokensPerSecond'],
  },
]

describe('corpus', () => {
  it('has the captures this suite expects', () => {
    expect(corpusFiles.length).toBeGreaterThanOrEqual(10)
    expect(new Set(SCENARIOS.flatMap((s) => s.files))).toEqual(new Set(corpusFiles))
  })

  it.each(corpusFiles)('%s decodes to spans with well-formed ids and times', async (file) => {
    const request = await decodeCorpusFile(file)
    const spans = request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))
    expect(spans.length).toBeGreaterThan(0)
    for (const span of spans) {
      expect(span.traceId).toMatch(/^[0-9a-f]{32}$/)
      expect(span.spanId).toMatch(/^[0-9a-f]{16}$/)
      expect(span.parentSpanId).toMatch(/^([0-9a-f]{16})?$/)
      expect(span.startTimeUnixNano).toMatch(/^1\d{18}$/)
      expect(BigInt(span.endTimeUnixNano) >= BigInt(span.startTimeUnixNano)).toBe(true)
      expect(span.name).not.toBe('')
    }
  })

  it.each(SCENARIOS.map((s) => [s.files[0], s] as const))(
    'captures of %s agree across encodings',
    async (_first, scenario) => {
      const volatile = new Set(scenario.volatile)
      const [reference, ...others] = await Promise.all(scenario.files.map(decodeCorpusFile))
      const expected = stableView(reference!, volatile)
      expect(expected.length).toBeGreaterThan(0)
      for (const other of others) expect(stableView(other, volatile)).toEqual(expected)
    },
  )

  it('keeps the GenAI attribute values of the basic scenario exact in both encodings', async () => {
    for (const file of SCENARIOS[0]!.files) {
      const chat = (await decodeCorpusFile(file)).resourceSpans[0]?.scopeSpans[0]?.spans.find(
        (s) => s.name === 'chat gpt-4o',
      )
      expect(chat?.kind).toBe(3)
      expect(chat?.attributes).toEqual({
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 12,
        'gen_ai.usage.output_tokens': 7,
        'gen_ai.provider.name': 'openai',
        arr: ['a', 'b'],
        dbl: 0.5,
        flag: true,
      })
    }
  })
})
