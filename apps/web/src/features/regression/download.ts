/** Saves text as a file through a temporary object URL (no zip: one file per click). */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.append(a)
  a.click()
  a.remove()
  // Revoke after the browser has picked the download up.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** The file names `sightline regress pull` writes, so a downloaded pair runs as is. */
export const caseFileName = (id: string) => `${id}.json`
export const vitestFileName = (id: string) => `${id}.regress.test.ts`
