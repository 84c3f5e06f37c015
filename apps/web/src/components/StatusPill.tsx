export function StatusPill({ status }: { status: string }) {
  const cls = status === 'error' ? 'pill err' : status === 'ok' ? 'pill ok' : 'pill'
  return <span className={cls}>{status === 'unset' ? 'unset' : status}</span>
}
