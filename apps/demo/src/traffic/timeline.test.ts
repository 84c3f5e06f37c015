import { describe, expect, it } from 'vitest'
import { scheduledWindows, weightsAt } from './timeline.js'

const MIN = 60_000

describe('demo timeline', () => {
  it('raises the cost-spike and tool-error weights inside their windows only', () => {
    expect(weightsAt(19 * MIN).cost_spike).toBe(0)
    expect(weightsAt(20 * MIN).cost_spike).toBe(40)
    expect(weightsAt(24.9 * MIN).cost_spike).toBe(40)
    expect(weightsAt(25 * MIN).cost_spike).toBe(0)
    expect(weightsAt(50 * MIN).cost_spike).toBe(40)
    expect(weightsAt(8 * MIN).tool_error).toBe(35)
    expect(weightsAt(11 * MIN).tool_error).toBe(8)
  })

  it('lists the windows a run starting at minute 18 goes through, in run minutes', () => {
    expect(scheduledWindows(18, 30)).toEqual([
      { scenario: 'canary', fromMinute: 0, toMinute: 30, ongoingAtStart: false },
      { scenario: 'loop', fromMinute: 0, toMinute: 30, ongoingAtStart: false },
      { scenario: 'cost_spike', fromMinute: 2, toMinute: 7, ongoingAtStart: false },
      { scenario: 'db_incident', fromMinute: 20, toMinute: 23, ongoingAtStart: false },
    ])
  })

  it('clips a window under way at the start and one cut by the end of the run', () => {
    const windows = scheduledWindows(22, 17)
    expect(windows.find((w) => w.scenario === 'cost_spike')).toEqual({
      scenario: 'cost_spike',
      fromMinute: 0,
      toMinute: 3,
      ongoingAtStart: true,
    })
    expect(windows.find((w) => w.scenario === 'db_incident')).toEqual({
      scenario: 'db_incident',
      fromMinute: 16,
      toMinute: 17,
      ongoingAtStart: false,
    })
    expect(
      scheduledWindows(0, 65)
        .filter((w) => w.scenario === 'cost_spike')
        .map((w) => w.fromMinute),
    ).toEqual([20, 50])
  })
})
