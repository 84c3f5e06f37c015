/**
 * Server-side span generation for the dashboard benchmark: `INSERT … SELECT FROM numbers()` in
 * 1M-row chunks, so the materialised views fire exactly as on ingest. 8 spans per trace (an agent
 * root, 3 LLM calls, 4 tool calls) spread evenly over 7 days; 80 % of traces in project `p_main`,
 * the rest over 2 other projects. 8 agents, 6 models (one unpriced), 10 tools, 1,000 users,
 * 3 releases over time, 2 environments, ~400 B of message text per LLM span, 2–8 % errors.
 */
import type { Store } from '../../src/db/client.js'
import { dt64, sql, u64 } from '../../src/db/sql.js'

export const BENCH_END = '2026-03-08 00:00:00'
export const BENCH_START = '2026-03-01 00:00:00'
const CHUNK = 1_000_000

export async function generateSpans(store: Store, spans: number, log: (msg: string) => void): Promise<number> {
  const traces = Math.floor(spans / 8)
  const total = traces * 8
  const started = performance.now()
  for (let offset = 0; offset < total; offset += CHUNK) {
    const count = Math.min(CHUNK, total - offset)
    await store.command(sql`
      INSERT INTO spans (project_id, trace_id, span_id, parent_span_id, name, kind, start_time, end_time, duration_ms,
        status, service_name, service_version, environment, agent_name, operation, model, provider, is_llm_call,
        input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, cost_usd, cost_source, is_unpriced,
        tool_name, input, output, user_id, session_id)
      SELECT
        multiIf(t % 10 < 8, 'p_main', t % 10 = 8, 'p_other1', 'p_other2') AS project_id,
        lower(hex(MD5(toString(t)))) AS trace_id,
        substring(lower(hex(MD5(toString(number)))), 1, 16) AS span_id,
        if(pos = 0, '', substring(lower(hex(MD5(toString(t * 8)))), 1, 16)) AS parent_span_id,
        multiIf(pos = 0, 'invoke_agent', is_llm, concat('chat ', mdl), concat('execute_tool ', tl)) AS name,
        multiIf(pos = 0, 'agent', is_llm, 'llm', 'tool') AS kind,
        ${dt64(BENCH_START)} + toIntervalMillisecond(intDiv(t * 604800000, ${u64(traces)}) + pos * 700) AS st,
        st + toIntervalMillisecond(toUInt64(dur)) AS end_time,
        dur AS duration_ms,
        if((h % 1000) < multiIf(pos = 0, 30, is_llm, 20, 80), 'error', 'ok') AS status,
        'bench-svc' AS service_name,
        ['1.4.0', '1.4.1', '1.5.0'][1 + intDiv(t * 3, ${u64(traces)})] AS service_version,
        if(t % 5 = 0, 'staging', 'prod') AS environment,
        ['support-agent', 'research-agent', 'billing-agent', 'triage-agent', 'code-review-agent', 'travel-planner',
          'sql-analyst', 'onboarding-agent'][1 + t % 8] AS agent_name,
        multiIf(pos = 0, 'invoke_agent', is_llm, 'chat', 'execute_tool') AS operation,
        if(is_llm, mdl, '') AS model,
        if(is_llm, if(startsWith(mdl, 'claude'), 'anthropic', 'openai'), '') AS provider,
        is_llm AS is_llm_call,
        if(is_llm, 500 + h % 4000, 0) AS in_tok,
        if(is_llm, 50 + bitShiftRight(h, 12) % 800, 0) AS out_tok,
        if(is_llm AND bitShiftRight(h, 24) % 10 < 3, intDiv(in_tok, 4), 0) AS cached_input_tokens,
        if(is_llm AND mdl = 'o3-mini', intDiv(out_tok, 2), 0) AS reasoning_tokens,
        if(is_llm AND mdl != 'acme-llm', toDecimal64(in_tok * 0.0000025 + out_tok * 0.00001, 10), NULL) AS cost_usd,
        if(is_llm AND mdl != 'acme-llm', 'genai-prices@bench', '') AS cost_source,
        is_llm AND mdl = 'acme-llm' AS is_unpriced,
        if(NOT is_llm AND pos != 0, tl, '') AS tool_name,
        if(is_llm, concat('please check my order status, the package was charged twice and tracking says ',
          repeat('delivered yesterday morning but nothing arrived ', 6), toString(number)), '') AS input,
        if(is_llm, concat('I looked up your order ', toString(t), ' and issued a refund for the duplicate charge.'),
          '') AS output,
        concat('user_', toString(cityHash64(t, 3) % 1000)) AS user_id,
        concat('sess_', toString(cityHash64(t, 4) % 20000)) AS session_id
      FROM (
        SELECT number, intDiv(number, 8) AS t, number % 8 AS pos, pos IN (1, 3, 5) AS is_llm, cityHash64(number,
          7) AS h,
          ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4', 'claude-3-5-haiku', 'o3-mini', 'acme-llm'][1 + cityHash64(number,
            1) % 6] AS mdl,
          ['search_docs', 'get_order', 'lookup_customer', 'run_sql', 'fetch_url', 'create_ticket', 'get_weather',
            'send_email', 'calculator', 'read_file'][1 + cityHash64(number, 2) % 10] AS tl,
          toFloat64(multiIf(pos = 0, 2000 + cityHash64(t, 5) % 20000, is_llm, 300 + h % 3000, 10 + h % 500)) AS dur
        FROM numbers(${u64(offset)}, ${u64(count)})
      )`)
    log(`  generated ${offset + count} / ${total} spans (${((performance.now() - started) / 1000).toFixed(0)} s)`)
  }
  return total
}
