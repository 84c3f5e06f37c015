/**
 * A minimal server-state hook (no query library is installed): runs `load` when `key` changes,
 * aborts the previous request, and exposes loading / error / data. Server data lives here, never in
 * zustand stores. A load that has part of its answer early (a huge trace's first spans) hands it to
 * `partial`: it is `data` while `isLoading` stays true, until the whole replaces it.
 */
import { useCallback, useEffect, useRef, useState } from 'react'

export interface QueryState<T> {
  data: T | undefined
  error: Error | undefined
  isLoading: boolean
  reload: () => void
}

export function useQuery<T>(
  key: string | null,
  load: (signal: AbortSignal, partial: (data: T) => void) => Promise<T>,
): QueryState<T> {
  const [state, setState] = useState<{ key: string | null; data?: T; error?: Error; isLoading: boolean }>({
    key,
    isLoading: key !== null,
  })
  const [nonce, setNonce] = useState(0)
  const loadRef = useRef(load)
  loadRef.current = load
  useEffect(() => {
    if (key === null) return
    const controller = new AbortController()
    setState((s) => ({ key, data: s.key === key ? s.data : undefined, isLoading: true }))
    const partial = (data: T) => {
      if (!controller.signal.aborted)
        setState((s) => (s.key === key && s.isLoading ? { key, data, isLoading: true } : s))
    }
    loadRef.current(controller.signal, partial).then(
      (data) => !controller.signal.aborted && setState({ key, data, isLoading: false }),
      (error: Error) => !controller.signal.aborted && setState({ key, error, isLoading: false }),
    )
    return () => controller.abort()
  }, [key, nonce])
  const reload = useCallback(() => setNonce((n) => n + 1), [])
  const fresh = state.key === key
  return {
    data: fresh ? state.data : undefined,
    error: fresh ? state.error : undefined,
    isLoading: key !== null && (!fresh || state.isLoading),
    reload,
  }
}
