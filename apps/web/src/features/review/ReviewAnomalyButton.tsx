/** On an anomaly: "Review its traces" builds a queue of the traces behind it, scored against every score config. */
import { useState } from 'react'
import { useLocation } from 'wouter'
import { scoresApi } from '../scores/scores-api'
import { reviewApi } from './review-api'

export function ReviewAnomalyButton({ anomalyId, summary }: { anomalyId: string; summary: string }) {
  const [, navigate] = useLocation()
  const [error, setError] = useState('')
  const create = async () => {
    try {
      const configs = await scoresApi.configs()
      if (configs.length === 0) return setError('Create a score config first (Review → Score configs).')
      const queue = await reviewApi.create({
        name: `Incident: ${summary.slice(0, 120)}`,
        anomalyId,
        scoreNames: configs.slice(0, 9).map((c) => c.name),
        limit: 50,
      })
      navigate(`/review/${queue.id}`)
    } catch (err) {
      setError((err as Error).message)
    }
  }
  return (
    <>
      <button className="btn ghost small" onClick={() => void create()}>
        Review its traces
      </button>
      {error && <span className="form-error small">{error}</span>}
    </>
  )
}
