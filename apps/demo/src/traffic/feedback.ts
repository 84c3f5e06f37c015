/**
 * End users reacting to answers, as a real app's feedback widget would: about a third of the runs
 * get thumbs (down for a failed run or a hand-off to a human, mostly up otherwise), some a 1–5
 * rating and a line of text. The app sends it with @sightline/sdk's score client on the run's trace
 * id (the planner returns it in the task metadata). Its own random stream, so the traffic mix of a
 * seed stays what it was without feedback.
 */
import { createScoreClient, type ScoreClient } from '@sightline/sdk'
import type { DemoConfig } from '../lib/config.js'
import { mulberry32, type Rng } from '../lib/rng.js'

const ESCALATED = /human colleague/i
/**
 * A user reads the answer before clicking, in real time whatever the demo's time scale: long enough for
 * the run's last spans (the root ends last, and exporters send every second) to be stored first, as they
 * are when a person reacts. Feedback that arrives before its trace's root span is attributed to the
 * release of whichever span came first (see the closing note of 2026-12-06).
 */
const READING_MS = 2_000

export class FeedbackWidget {
  private readonly rng: Rng
  private readonly client: ScoreClient

  constructor(
    config: DemoConfig,
    private readonly share: number,
  ) {
    this.rng = mulberry32(config.seed * 7919 + 17)
    this.client = createScoreClient({ endpoint: config.sightlineUrl, apiKey: config.sightlineApiKey })
  }

  /** Maybe sends feedback on one answered run; resolves when sent (or skipped). */
  async react(traceId: string, ok: boolean, answer: string, userId: string | undefined): Promise<'sent' | 'skipped'> {
    if (!traceId || this.rng() >= this.share) return 'skipped'
    const happy = ok && !ESCALATED.test(answer) && this.rng() < 0.85
    const rated = this.rng() < 0.4
    const rating = happy ? (this.rng() < 0.6 ? 5 : 4) : this.rng() < 0.5 ? 1 : 2
    const text = this.rng() < 0.3 ? (happy ? 'That solved it, thanks.' : 'This did not answer my question.') : undefined
    await new Promise((resolve) => setTimeout(resolve, READING_MS))
    await this.client.feedback({
      traceId,
      thumbs: happy ? 'up' : 'down',
      ...(rated ? { rating: rating as 1 | 2 | 4 | 5 } : {}),
      ...(text ? { text } : {}),
      ...(userId ? { userId } : {}),
    })
    return 'sent'
  }
}
