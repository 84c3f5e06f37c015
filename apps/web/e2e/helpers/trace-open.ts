/**
 * When a trace page drew its rows, as the benchmark and the browser tests read it: `paintedAt`, the
 * animation frame that paints the first timeline rows (the head's, when the first spans came before
 * the whole); `completeAt`, the frame that paints the whole trace's rows; `headShown`, whether rows
 * were drawn from the head while the rest loaded.
 */
import type { Page } from 'playwright-core'

interface OpenMarks {
  __paintedAt?: number
  __completeAt?: number
  __headShown?: boolean
}

/** Records the marks on every page the browser opens from now on. */
export async function watchTraceOpens(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as OpenMarks
    w.__headShown = false
    const observer = new MutationObserver(() => {
      if (!document.querySelector('.timeline-row[data-span-id]')) return
      const partial = document.querySelector('[data-testid="trace-partial"]') !== null
      if (partial) w.__headShown = true
      // The frame that paints the rows starts after this callback.
      if (w.__paintedAt === undefined) {
        w.__paintedAt = -1
        requestAnimationFrame(() => (w.__paintedAt = performance.now()))
      }
      if (partial) return
      observer.disconnect()
      requestAnimationFrame(() => (w.__completeAt = performance.now()))
    })
    document.addEventListener('DOMContentLoaded', () =>
      observer.observe(document.body, { childList: true, subtree: true }),
    )
  })
}

/** The marks of the page's trace once the whole trace is drawn (navigation start = 0). */
export async function traceOpenMarks(
  page: Page,
  timeoutMs: number,
): Promise<{ paintedAt: number; completeAt: number; headShown: boolean }> {
  await page.waitForFunction(
    () => {
      const w = window as unknown as OpenMarks
      return (w.__paintedAt ?? -1) >= 0 && w.__completeAt !== undefined
    },
    undefined,
    { timeout: timeoutMs },
  )
  return page.evaluate(() => {
    const w = window as unknown as Required<OpenMarks>
    return { paintedAt: w.__paintedAt, completeAt: w.__completeAt, headShown: w.__headShown }
  })
}
