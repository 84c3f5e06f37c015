/** `/review/configs`: the project's rubric. Each score name's type, range or categories, and what passes. */
import type { ScoreConfigInput, ScoreDataType } from '@sightline/schema'
import { useState } from 'react'
import { useQuery } from '../../api/use-query'
import { ErrorState, Loading } from '../../components/States'
import { scoresApi } from './scores-api'
import './scores.css'

export default function ScoreConfigsPage() {
  const [nonce, setNonce] = useState(0)
  const configs = useQuery(`score-configs:${nonce}`, (signal) => scoresApi.configs(signal))
  return (
    <div className="page">
      <div className="page-head">
        <h1>Score configs</h1>
        <span className="muted small">what reviewers and writers of scores must respect</span>
      </div>
      <NewConfig onSaved={() => setNonce((n) => n + 1)} />
      {configs.error ? (
        <ErrorState error={configs.error} />
      ) : !configs.data ? (
        <Loading />
      ) : (
        <div className="table-wrap">
          <table className="grid">
            <thead>
              <tr>
                <th>Name</th>
                <th>Type</th>
                <th>Values</th>
                <th>Passes</th>
                <th>Description</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {configs.data.map((c) => (
                <tr key={c.name}>
                  <td className="mono">{c.name}</td>
                  <td>{c.dataType}</td>
                  <td>
                    {c.dataType === 'numeric'
                      ? c.min === undefined
                        ? 'any number'
                        : `${c.min}–${c.max}`
                      : c.dataType === 'boolean'
                        ? 'true / false'
                        : c.categories?.join(', ')}
                  </td>
                  <td>
                    {c.dataType === 'boolean'
                      ? 'true'
                      : c.passThreshold !== undefined
                        ? `≥ ${c.passThreshold}`
                        : (c.passValues?.join(', ') ?? '—')}
                  </td>
                  <td>{c.description}</td>
                  <td>
                    <button
                      className="btn ghost small"
                      onClick={() => void scoresApi.deleteConfig(c.name).then(() => setNonce((n) => n + 1))}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}

function NewConfig({ onSaved }: { onSaved: () => void }) {
  const [name, setName] = useState('')
  const [dataType, setDataType] = useState<ScoreDataType>('boolean')
  const [range, setRange] = useState('1-5')
  const [categories, setCategories] = useState('')
  const [pass, setPass] = useState('')
  const [description, setDescription] = useState('')
  const [error, setError] = useState('')
  const save = async () => {
    const [min, max] = range.split('-').map(Number)
    const config: ScoreConfigInput = { name, dataType, description }
    if (dataType === 'numeric' && range) Object.assign(config, { min, max })
    if (dataType === 'numeric' && pass) config.passThreshold = Number(pass)
    if (dataType === 'categorical') {
      config.categories = categories
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean)
      if (pass)
        config.passValues = pass
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean)
    }
    try {
      await scoresApi.putConfig(config)
      setError('')
      setName('')
      onSaved()
    } catch (err) {
      setError((err as Error).message)
    }
  }
  return (
    <div className="score-panel">
      <div className="controls">
        <input
          aria-label="Score name"
          placeholder="name, e.g. correct"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <select aria-label="Type" value={dataType} onChange={(e) => setDataType(e.target.value as ScoreDataType)}>
          <option value="boolean">yes / no</option>
          <option value="numeric">number</option>
          <option value="categorical">categories</option>
        </select>
        {dataType === 'numeric' && (
          <input aria-label="Range" placeholder="1-5" value={range} onChange={(e) => setRange(e.target.value)} />
        )}
        {dataType === 'categorical' && (
          <input
            aria-label="Categories"
            placeholder="polite, neutral, rude"
            value={categories}
            onChange={(e) => setCategories(e.target.value)}
          />
        )}
        {dataType !== 'boolean' && (
          <input
            aria-label="Passes"
            placeholder={dataType === 'numeric' ? 'pass ≥ (e.g. 4)' : 'passing categories'}
            value={pass}
            onChange={(e) => setPass(e.target.value)}
          />
        )}
        <input
          aria-label="Description"
          placeholder="what it means"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <button className="btn primary" disabled={!name} onClick={() => void save()}>
          Add
        </button>
      </div>
      {error && <div className="form-error">{error}</div>}
    </div>
  )
}
