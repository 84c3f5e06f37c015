/** zod schemas for OpenHands run files (only the fields the importer reads; the rest passes through). */
import { z } from 'zod'

export const UsageSchema = z.looseObject({
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
  prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
})
export const ResponseSchema = z.looseObject({
  id: z.string(),
  model: z.string().nullish(),
  usage: UsageSchema.nullish(),
  choices: z
    .array(
      z.looseObject({
        finish_reason: z.string().nullish(),
        message: z.looseObject({
          content: z.string().nullish(),
          tool_calls: z.array(z.looseObject({ id: z.string(), function: z.looseObject({ name: z.string(), arguments: z.string() }) })).nullish(),
        }),
      }),
    )
    .nullish(),
})
export const EventSchema = z.looseObject({
  id: z.number(),
  timestamp: z.string(),
  source: z.string(),
  message: z.string().nullish(),
  action: z.string().optional(),
  observation: z.string().optional(),
  cause: z.number().nullish(),
  content: z.string().nullish(),
  args: z.record(z.string(), z.unknown()).nullish(),
  extras: z.looseObject({ metadata: z.looseObject({ exit_code: z.number().nullish() }).nullish() }).nullish(),
  tool_call_metadata: z.looseObject({ function_name: z.string(), tool_call_id: z.string(), model_response: ResponseSchema }).nullish(),
})
export const MetricsSchema = z.looseObject({
  accumulated_cost: z.number().nullish(),
  costs: z.array(z.looseObject({ cost: z.number(), response_id: z.string().optional() })).nullish(),
  response_latencies: z.array(z.looseObject({ latency: z.number(), response_id: z.string() })).nullish(),
  token_usages: z
    .array(z.looseObject({ prompt_tokens: z.number(), completion_tokens: z.number(), cache_read_tokens: z.number().nullish(), cache_write_tokens: z.number().nullish(), response_id: z.string() }))
    .nullish(),
})
export const RunSchema = z.looseObject({
  instance_id: z.string(),
  metadata: z
    .looseObject({
      agent_class: z.string().nullish(),
      llm_config: z.looseObject({ model: z.string().nullish() }).nullish(),
      eval_output_dir: z.string().nullish(),
      git_commit: z.string().nullish(),
    })
    .nullish(),
  history: z.array(EventSchema),
  metrics: MetricsSchema.nullish(),
  error: z.string().nullish(),
})
export const OpenHandsFileSchema = z.union([z.array(RunSchema), z.array(EventSchema)])
export type Event = z.infer<typeof EventSchema>
export type Run = z.infer<typeof RunSchema>
export type ModelResponse = z.infer<typeof ResponseSchema>
