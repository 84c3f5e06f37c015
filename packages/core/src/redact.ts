/**
 * @module redact
 * Redaction rules (e-mails, API keys, card numbers), pure and zod-free: the SDK re-exports them
 * through the `@sightline/core/redact` subpath and the server uses them for the regression-case
 * redaction preview. Plus redactJson(): the preview over a JSON value, naming each field it masked.
 */
/**
 * Rewrites one piece of captured content before it is written to a span attribute.
 *
 * @example
 * ```ts
 * const dropDigits: Redactor = (text) => text.replace(/\d/g, '#')
 * ```
 */
export type Redactor = (text: string) => string

const marker = (rule: string) => `[REDACTED:${rule}]`

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g

// Provider keys with a recognisable prefix: OpenAI/Anthropic `sk-…` (incl. sk-proj-, sk-ant-), AWS
// access key ids, GitHub and Slack tokens.
const PREFIXED_KEY = new RegExp(
  String.raw`\b(?:sk-[A-Za-z0-9_-]{16,}|(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|` +
    String.raw`github_pat_[A-Za-z0-9_]{30,}|xox[abpors]-[A-Za-z0-9-]{10,})`,
  'g',
)
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/-]{8,}=*/gi
// `api_key=…`, `"secret": "…"`, `password: …`: the name says it is a secret whatever its shape.
const NAMED_SECRET =
  /\b((?:api[_-]?key|secret|token|password|passwd|access[_-]?key)["']?\s*[:=]\s*["']?)([^\s"',;]{8,})/gi
// Unnamed long tokens: 32+ characters mixing upper case, lower case and digits. Hex ids (trace ids,
// hashes) and UUIDs lack upper case and are left alone on purpose.
const LONG_TOKEN = /\b[A-Za-z0-9_-]{32,}/g
const isMixedToken = (token: string) => /[a-z]/.test(token) && /[A-Z]/.test(token) && /\d/.test(token)

// 13-19 digits, optionally grouped by single spaces or dashes as cards are usually written.
const CARD_CANDIDATE = /\b\d(?:[ -]?\d){12,18}\b/g

/** Luhn checksum: rejects ~90% of random digit runs (order ids, timestamps) that are not cards. */
export function isLuhnValid(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      digit *= 2
      if (digit > 9) digit -= 9
    }
    sum += digit
  }
  return sum % 10 === 0
}

function redactEmail(text: string): string {
  return text.replace(EMAIL, marker('email'))
}

function redactApiKey(text: string): string {
  const apiKey = marker('api_key')
  return text
    .replace(BEARER, (_match, prefix: string) => `${prefix}${apiKey}`)
    .replace(PREFIXED_KEY, apiKey)
    .replace(NAMED_SECRET, (_match, prefix: string) => `${prefix}${apiKey}`)
    .replace(LONG_TOKEN, (token) => (isMixedToken(token) ? apiKey : token))
}

function redactCardNumber(text: string): string {
  return text.replace(CARD_CANDIDATE, (candidate) => {
    const digits = candidate.replace(/[ -]/g, '')
    return digits.length >= 13 && digits.length <= 19 && isLuhnValid(digits) ? marker('card_number') : candidate
  })
}

/**
 * Ready-made redaction rules. `email` masks e-mail addresses; `apiKey` masks `sk-…` keys, Bearer
 * tokens, AWS access key ids (`AKIA…`), GitHub/Slack tokens, values of `api_key=`/`secret:`-style
 * assignments and other long mixed-case tokens; `cardNumber` masks 13-19 digit sequences that pass
 * the Luhn check.
 *
 * @example
 * ```ts
 * registerSightline({ serviceName: 'support-bot', captureContent: true, redact: redactionRules.email })
 * redactionRules.cardNumber('card 4111 1111 1111 1111') // 'card [REDACTED:card_number]'
 * ```
 */
export const redactionRules = {
  email: redactEmail,
  apiKey: redactApiKey,
  cardNumber: redactCardNumber,
} as const satisfies Record<string, Redactor>

/**
 * Chains redactors left to right into one.
 *
 * @example
 * ```ts
 * const redact = composeRedactors(redactionRules.email, redactionRules.apiKey, redactionRules.cardNumber)
 * registerSightline({ serviceName: 'support-bot', captureContent: true, redact })
 * ```
 */
export function composeRedactors(...rules: Redactor[]): Redactor {
  return (text) => rules.reduce((acc, rule) => rule(acc), text)
}

/** Every shared rule, in the order the SDK README recommends. */
export const redactAll: Redactor = composeRedactors(
  redactionRules.email,
  redactionRules.apiKey,
  redactionRules.cardNumber,
)

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1')

/**
 * Redacts every string inside `value` and reports which JSON Pointers changed. JSON text inside a
 * string is left as text: the rules work on the characters either way.
 *
 * @example redactJson({ to: 'a@b.io', n: 1 }) // { value: { to: '[REDACTED:email]', n: 1 }, redacted: ['/to'] }
 */
export function redactJson<T>(value: T, redact: Redactor = redactAll): { value: T; redacted: string[] } {
  const redacted: string[] = []
  const walk = (node: unknown, pointer: string): unknown => {
    if (typeof node === 'string') {
      const out = redact(node)
      if (out !== node) redacted.push(pointer)
      return out
    }
    if (Array.isArray(node)) return node.map((item, index) => walk(item, `${pointer}/${index}`))
    if (node && typeof node === 'object') {
      const out: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(node)) out[key] = walk(item, `${pointer}/${escapePointer(key)}`)
      return out
    }
    return node
  }
  return { value: walk(value, '') as T, redacted }
}
