/** zod schemas for OpenHands run files (only the fields the importer reads; the rest passes through). */
import { z } from 'zod'

const UsageSchema = z.looseObject({
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
  prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
})
const ResponseSchema = z.looseObject({
  id: z.string(),
  model: z.string().nullish(),
  usage: UsageSchema.nullish(),
  choices: z
    .array(
      z.looseObject({
        finish_reason: z.string().nullish(),
        message: z.looseObject({
          content: z.string().nullish(),
          tool_calls: z
            .array(
              z.looseObject({ id: z.string(), function: z.looseObject({ name: z.string(), arguments: z.string() }) }),
            )
            .nullish(),
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
  // Older files keep `exit_code` in `extras` itself.
  extras: z
    .looseObject({
      metadata: z.looseObject({ exit_code: z.number().nullish() }).nullish(),
      exit_code: z.number().nullish(),
    })
    .nullish(),
  tool_call_metadata: z
    .looseObject({ function_name: z.string(), tool_call_id: z.string(), model_response: ResponseSchema })
    .nullish(),
})
const MetricsSchema = z.looseObject({
  accumulated_cost: z.number().nullish(),
  // Older files log bare numbers, one per model call.
  costs: z
    .array(
      z.union([
        z.looseObject({ cost: z.number(), response_id: z.string().optional() }),
        z.number().transform((cost) => ({ cost, response_id: undefined })),
      ]),
    )
    .nullish(),
  response_latencies: z.array(z.looseObject({ latency: z.number(), response_id: z.string() })).nullish(),
  token_usages: z
    .array(
      z.looseObject({
        prompt_tokens: z.number(),
        completion_tokens: z.number(),
        cache_read_tokens: z.number().nullish(),
        cache_write_tokens: z.number().nullish(),
        response_id: z.string(),
      }),
    )
    .nullish(),
})
/** A run's fields other than its history, whose shape depends on the OpenHands version (openhands-runs.ts). */
export const RunHeaderSchema = z.looseObject({
  /** Evaluation outputs; resolver outputs name the `issue` instead. */
  instance_id: z.string().optional(),
  issue: z.looseObject({ owner: z.string(), repo: z.string(), number: z.number() }).nullish(),
  metadata: z
    .looseObject({
      agent_class: z.string().nullish(),
      llm_config: z.looseObject({ model: z.string().nullish() }).nullish(),
      eval_output_dir: z.string().nullish(),
      git_commit: z.string().nullish(),
    })
    .nullish(),
  metrics: MetricsSchema.nullish(),
  error: z.string().nullish(),
})
const RunSchema = RunHeaderSchema.extend({ history: z.array(EventSchema) })
export type Event = z.infer<typeof EventSchema>
export type Run = z.infer<typeof RunSchema>
export type ModelResponse = z.infer<typeof ResponseSchema>
