import fs from 'node:fs'

/**
 * The OTLP corpus's ground truth (`fixtures/otlp-corpus/EXPECTED.json`), read once for the pure
 * normaliser contract and the through-the-server contract alike.
 */
export const CORPUS_DIR = new URL('../../../../fixtures/otlp-corpus/', import.meta.url)

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
