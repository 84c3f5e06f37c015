import fs from 'node:fs'
import { gunzipSync } from 'node:zlib'

/**
 * The shared OTLP corpus (`fixtures/otlp-corpus/`: bodies captured from real exporters, edge cases,
 * and the ground truth `EXPECTED.json`), read by ingest's unit, integration and bench code and by
 * the console's e2e seed alike: one place knows where it is and how its files are named.
 */
export const CORPUS_DIR = new URL('../../../fixtures/otlp-corpus/', import.meta.url)
export const EDGE_DIR = new URL('edge-cases/', CORPUS_DIR)

/** The bodies of a corpus folder: `.otlp.json` or `.otlp.pb`, gzipped when `.gz` follows. */
export function corpusFileNames(dir: URL = CORPUS_DIR): string[] {
  return fs.readdirSync(dir).filter((name) => /\.otlp\.(json|pb)(\.gz)?$/.test(name))
}

/** A corpus file as stored (still gzipped for `.gz`): what an exporter sends. */
export function readCorpus(file: string, dir: URL = CORPUS_DIR): Buffer {
  return fs.readFileSync(new URL(file, dir))
}

/** A corpus file unzipped, with its encoding: what the decoder is given. */
export function readCorpusBody(file: string, dir: URL = CORPUS_DIR): { body: Buffer; encoding: 'json' | 'protobuf' } {
  const raw = readCorpus(file, dir)
  return {
    body: file.endsWith('.gz') ? gunzipSync(raw) : raw,
    encoding: /\.pb(\.gz)?$/.test(file) ? 'protobuf' : 'json',
  }
}

export interface ExpectedTool {
  name: string
  id: string | null
  error: boolean
}

export interface ExpectedFile {
  auto_spans: number
  auto_traces: number
  auto_error_status_spans: number
  agents?: string[]
  functionIds?: string[]
  model_calls: number
  input_tokens: number
  output_tokens: number
  cached_input_tokens?: number | null
  reasoning_tokens?: number | null
  tools: ExpectedTool[]
  session_id?: string
  user_id?: string
}

/** The ground truth, read once for the pure normaliser contract and the through-the-server contract alike. */
export const expectedCorpus = JSON.parse(fs.readFileSync(new URL('EXPECTED.json', CORPUS_DIR), 'utf8')) as {
  files: Record<string, ExpectedFile>
}

/** EXPECTED strings carry an explanation after the id: "sess-123 (ai.telemetry.metadata.sessionId, ...)". */
export const idPart = (text: string) => text.split(' ')[0] ?? ''

/**
 * EXPECTED.json has `id: null` where the tool span carries no call-id attribute. For OpenInference
 * LangChain the id is still inside the serialised ToolMessage of `output.value`, and the normaliser
 * recovers it: the scenario's model call asked for `call_weather_1` (corpus README).
 */
const RECOVERED_CALL_IDS: Record<string, string> = {
  'openinference-langchain-4.1.1+langchain-1.5.14__createAgent-tool-call.otlp.json': 'call_weather_1',
  'openinference-langchain-4.1.1+langchain-1.5.14__createAgent-tool-call.otlp.pb': 'call_weather_1',
}

/** The tools a file's spans must show, with recovered call ids filled in. */
export function expectedTools(file: string, want: ExpectedFile): ExpectedTool[] {
  return want.tools.map((tool) => ({ ...tool, id: tool.id ?? RECOVERED_CALL_IDS[file] ?? null }))
}
