/** A span's own OTLP status (ok / error / unset): `unset` is "nobody said", kept apart from ok. */
export function SpanStatusPill({ status }: { status: string }) {
  const cls = status === 'error' ? 'pill err' : status === 'ok' ? 'pill ok' : 'pill'
  return <span className={cls}>{status}</span>
}
