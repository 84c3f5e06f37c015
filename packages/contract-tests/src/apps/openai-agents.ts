/**
 * OpenAI Agents SDK: a triage agent hands off to a billing agent, which calls `get_invoice`
 * (fails once; the SDK returns the error text to the model, which retries). Models run through the
 * Responses API (the SDK's default) against the mock. Traced by OpenInference's OpenAI Agents
 * instrumentation, which registers itself as the SDK's trace processor (replacing the SDK's own
 * exporter to OpenAI), and exported as OTLP/HTTP protobuf. The run has a workflow name and a
 * group id (the SDK's conversation grouping).
 */
import { OpenAIAgentsInstrumentation } from '@arizeai/openinference-instrumentation-openai-agents'
import * as agents from '@openai/agents'
import { z } from 'zod'
import type { FrameworkCapture } from '../capture/framework.js'
import { failOnce } from '../capture/recorder.js'
import { usage, type ScriptedReply } from '../mock/script.js'
import { startOtelPipeline } from './otel-pipeline.js'

const TRIAGE_MODEL = 'gpt-4.1-mini'
const BILLING_MODEL = 'o4-mini'
const GROUP_ID = 'conv-billing-42'
const invoice = { invoice_id: 'INV-778' }

const script: ScriptedReply[] = [
  {
    model: TRIAGE_MODEL,
    agent: 'triage_agent',
    toolCalls: [{ id: 'call_handoff_1', name: 'transfer_to_billing_agent', args: {} }],
    usage: usage(210, 14),
  },
  {
    model: BILLING_MODEL,
    agent: 'billing_agent',
    toolCalls: [{ id: 'call_invoice_1', name: 'get_invoice', args: invoice }],
    usage: usage(388, 96, 0, 64),
  },
  {
    model: BILLING_MODEL,
    agent: 'billing_agent',
    toolCalls: [{ id: 'call_invoice_2', name: 'get_invoice', args: invoice }],
    usage: usage(455, 80, 256, 48),
  },
  {
    model: BILLING_MODEL,
    agent: 'billing_agent',
    text: 'Invoice INV-778 for 59.00 EUR was paid on 2 December.',
    usage: usage(530, 120, 384, 72),
  },
]

export const openaiAgentsCapture: FrameworkCapture = {
  framework: 'openai-agents',
  scenario:
    'triage_agent hands off to billing_agent, which calls get_invoice (fails once); Responses API; ' +
    'workflowName and groupId on the run',
  mock: 'openai',
  script,
  packages: [
    ['@openai/agents'],
    ['@openai/agents-core', '@openai/agents'],
    ['@arizeai/openinference-instrumentation-openai-agents'],
    ['@opentelemetry/sdk-trace-node'],
  ],
  exporter: { package: '@opentelemetry/exporter-trace-otlp-proto', protocol: 'protobuf' },
  async run({ otlpUrl, modelUrl, tools }) {
    process.env.OPENAI_BASE_URL = `${modelUrl}/v1`
    process.env.OPENAI_API_KEY = 'mock-key'
    const otel = startOtelPipeline({ otlpUrl, serviceName: 'billing-desk' })
    const instrumentation = new OpenAIAgentsInstrumentation({ tracerProvider: otel.provider })
    instrumentation.manuallyInstrument(agents)

    const invoiceFails = failOnce()
    const getInvoice = agents.tool({
      name: 'get_invoice',
      description: 'Fetch an invoice by id',
      parameters: z.object({ invoice_id: z.string() }),
      execute: (args) =>
        tools.call('get_invoice', 'billing_agent', args, () => {
          invoiceFails('get_invoice', 'billing database timeout')
          return { invoice_id: args.invoice_id, amountEur: 59, paid: '2026-12-02' }
        }),
    })
    const billing = new agents.Agent({
      name: 'billing_agent',
      model: BILLING_MODEL,
      instructions: 'Answer billing questions with get_invoice.',
      handoffDescription: 'Handles invoices and payments.',
      tools: [getInvoice],
    })
    const triage = new agents.Agent({
      name: 'triage_agent',
      model: TRIAGE_MODEL,
      instructions: 'Route the customer to the right specialist.',
      handoffs: [billing],
    })
    const runner = new agents.Runner({ workflowName: 'Billing support', groupId: GROUP_ID })
    const result = await runner.run(triage, 'Was invoice INV-778 paid?')
    if (result.lastAgent?.name !== 'billing_agent') throw new Error('openai-agents: the handoff did not happen')
    await agents.getGlobalTraceProvider().forceFlush()
    await otel.finish()
    return {
      runs: 1,
      agents: ['triage_agent', 'billing_agent'],
      handoffs: [{ from: 'triage_agent', to: 'billing_agent', mode: 'handoff' }],
      // OpenInference's processor exports neither the group id nor trace metadata (checked on
      // every span of the capture), so no session can be read from these spans.
      sessionId: null,
      userId: null,
      notes: [
        "The run sets groupId 'conv-billing-42' (the SDK's way to link the traces of one conversation), " +
          "but OpenInference's processor does not export it (nor trace metadata): " +
          'sessionId is null because no span carries it.',
        "'Billing support' is the workflow (trace) name, not an agent.",
        'The handoff is the model calling the transfer_to_billing_agent function; it is a handoff, not a tool call.',
        'get_invoice throws on its first call; the SDK sends the error text to the model as the function call output.',
      ],
    }
  },
}
