/**
 * Regression cases: the versioned format, its JSON Schema and the API contract. The logic (proposal, matching,
 * assertions, verdicts) is in @sightline/core.
 */
export * from './case.js'
export * from './json-schema.js'
export * from './api.js'
