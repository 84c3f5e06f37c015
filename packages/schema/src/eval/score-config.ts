/**
 * @module eval/score-config
 * The project's rubric (`/api/v1/score-configs`): what each score name means and which values it
 * takes. A written score whose name has a config must fit it (type, range, categories), and the
 * review screen offers exactly these values (keys 1…n, y/n).
 */
import { z } from 'zod'
import { ScoreDataTypeSchema, ScoreNameSchema } from './score.js'

export const ScoreConfigSchema = z
  .object({
    name: ScoreNameSchema,
    dataType: ScoreDataTypeSchema,
    description: z.string().max(2000).default(''),
    /** numeric: inclusive bounds (both or neither). */
    min: z.number().optional(),
    max: z.number().optional(),
    /** categorical: the allowed labels, in the order the reviewer's keys 1…n pick them. */
    categories: z.array(z.string().min(1).max(200)).max(9).optional(),
    /**
     * What counts as a pass for pass rates: numeric values ≥ `passThreshold`, categorical labels
     * in `passValues`; boolean: true. Without them a numeric or categorical score has no pass rate.
     */
    passThreshold: z.number().optional(),
    passValues: z.array(z.string().min(1).max(200)).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if ((c.min === undefined) !== (c.max === undefined))
      ctx.addIssue({ code: 'custom', message: 'give both min and max, or neither', path: ['min'] })
    if (c.min !== undefined && c.max !== undefined && !(c.min < c.max))
      ctx.addIssue({ code: 'custom', message: 'min must be below max', path: ['min'] })
    if (c.dataType === 'categorical' && (c.categories?.length ?? 0) < 2)
      ctx.addIssue({ code: 'custom', message: 'a categorical score needs at least 2 categories', path: ['categories'] })
    if (c.dataType !== 'categorical' && c.categories)
      ctx.addIssue({ code: 'custom', message: 'only categorical scores have categories', path: ['categories'] })
    if (c.dataType !== 'numeric' && (c.min !== undefined || c.passThreshold !== undefined))
      ctx.addIssue({ code: 'custom', message: 'only numeric scores have a range or a pass threshold', path: ['min'] })
    if (c.passValues?.some((v) => !c.categories?.includes(v)))
      ctx.addIssue({ code: 'custom', message: 'passValues must be categories', path: ['passValues'] })
  })
export type ScoreConfig = z.output<typeof ScoreConfigSchema>
export type ScoreConfigInput = z.input<typeof ScoreConfigSchema>

export const ListScoreConfigsResponseSchema = z.object({ configs: z.array(ScoreConfigSchema) })
export type ListScoreConfigsResponse = z.infer<typeof ListScoreConfigsResponseSchema>

/** `PUT /api/v1/score-configs/{name}`. */
export const PutScoreConfigResponseSchema = z.object({ config: ScoreConfigSchema })
export type PutScoreConfigResponse = z.infer<typeof PutScoreConfigResponseSchema>
