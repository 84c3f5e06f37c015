/**
 * Redaction rules for captured content: plain `(text) => text` functions, chained with
 * composeRedactors(); each match becomes a marker naming its rule (`[REDACTED:email]`). One copy
 * lives in `@sightline/core/redact` (zod-free), shared with the server's redaction preview.
 */
export { composeRedactors, isLuhnValid, redactionRules, type Redactor } from '@sightline/core/redact'
