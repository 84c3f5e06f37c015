/**
 * LangGraph.js: a prebuilt ReAct agent (`createReactAgent`) with two tools on `ChatOpenAI` against
 * the chat-completions mock, traced by OpenInference's LangChain instrumentation and exported as
 * OTLP/HTTP protobuf. `lookup_order` throws once; ToolNode turns the error into a ToolMessage with
 * status "error" and the model retries. The run has a checkpointer and a thread id. Batches of 8
 * spans: the bodies arrive in several requests, each child before its parent.
 */
import { LangChainInstrumentation } from '@arizeai/openinference-instrumentation-langchain'
import * as CallbackManagerModule from '@langchain/core/callbacks/manager'
import { tool } from '@langchain/core/tools'
import { MemorySaver } from '@langchain/langgraph'
import { createReactAgent } from '@langchain/langgraph/prebuilt'
import { ChatOpenAI } from '@langchain/openai'
import { z } from 'zod'
import type { FrameworkCapture } from '../capture/framework.js'
import { failOnce } from '../capture/recorder.js'
import { usage, type ScriptedReply } from '../mock/script.js'
import { startOtelPipeline } from './otel-pipeline.js'

const MODEL = 'gpt-4o-mini'
const AGENT = 'support_agent'
const THREAD_ID = 'lg-thread-1'
const order = { order_id: 'A-1001' }
const tracking = { tracking_number: 'TRK-5521' }

const script: ScriptedReply[] = [
  {
    model: MODEL,
    agent: AGENT,
    toolCalls: [{ id: 'call_order_1', name: 'lookup_order', args: order }],
    usage: usage(182, 21),
  },
  {
    model: MODEL,
    agent: AGENT,
    toolCalls: [{ id: 'call_order_2', name: 'lookup_order', args: order }],
    usage: usage(236, 21, 128),
  },
  {
    model: MODEL,
    agent: AGENT,
    toolCalls: [{ id: 'call_ship_1', name: 'get_shipping_status', args: tracking }],
    usage: usage(301, 24, 128),
  },
  {
    model: MODEL,
    agent: AGENT,
    text: 'Order A-1001 shipped on 3 December and will arrive on 8 December.',
    usage: usage(372, 19, 256),
  },
]

export const langgraphCapture: FrameworkCapture = {
  framework: 'langgraph',
  scenario:
    'createReactAgent support_agent with lookup_order (fails once) and get_shipping_status on ChatOpenAI; ' +
    'MemorySaver checkpointer, one thread',
  mock: 'openai',
  script,
  packages: [
    ['@langchain/langgraph'],
    ['@langchain/core'],
    ['@langchain/openai'],
    ['@arizeai/openinference-instrumentation-langchain'],
    ['@opentelemetry/sdk-trace-node'],
  ],
  exporter: { package: '@opentelemetry/exporter-trace-otlp-proto', protocol: 'protobuf' },
  async run({ otlpUrl, modelUrl, tools }) {
    const otel = startOtelPipeline({ otlpUrl, serviceName: 'support-desk', maxExportBatchSize: 8 })
    const instrumentation = new LangChainInstrumentation({ tracerProvider: otel.provider })
    instrumentation.manuallyInstrument(CallbackManagerModule)

    const orderFails = failOnce()
    const lookupOrder = tool(
      (args) =>
        tools.call('lookup_order', AGENT, args, () => {
          orderFails('lookup_order', 'order service unavailable')
          return JSON.stringify({ order_id: args.order_id, status: 'shipped', tracking_number: 'TRK-5521' })
        }),
      { name: 'lookup_order', description: 'Look up an order by id', schema: z.object({ order_id: z.string() }) },
    )
    const shippingStatus = tool(
      (args) =>
        tools.call('get_shipping_status', AGENT, args, () =>
          JSON.stringify({ tracking_number: args.tracking_number, shipped: '2026-12-03', eta: '2026-12-08' }),
        ),
      {
        name: 'get_shipping_status',
        description: 'Carrier status of a parcel',
        schema: z.object({ tracking_number: z.string() }),
      },
    )
    const llm = new ChatOpenAI({ model: MODEL, apiKey: 'mock-key', configuration: { baseURL: `${modelUrl}/v1` } })
    const agent = createReactAgent({
      llm,
      tools: [lookupOrder, shippingStatus],
      name: AGENT,
      checkpointSaver: new MemorySaver(),
    })

    await agent.invoke(
      { messages: [{ role: 'user', content: 'Where is my order A-1001?' }] },
      { configurable: { thread_id: THREAD_ID } },
    )
    instrumentation.disable()
    await otel.finish()
    return {
      runs: 1,
      agents: [AGENT],
      handoffs: [],
      sessionId: THREAD_ID,
      userId: null,
      notes: [
        'The thread id is passed as configurable.thread_id; the session is that thread.',
        "lookup_order throws on its first call; LangGraph's ToolNode returns the error to the model as a ToolMessage " +
          "with status 'error'.",
        'Tool results are the JSON strings the tools returned.',
        'Exported in batches of 8 spans (maxExportBatchSize), so the spans arrive over several requests, ' +
          'children before parents.',
      ],
    }
  },
}
