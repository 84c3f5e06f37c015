/**
 * Regression logic over the case format of @sightline/schema: observing a run, proposing a case, matching, assertions,
 * verdicts.
 */
export * from './observe.js'
export * from './match.js'
export * from './assertions.js'
export * from './propose.js'
export * from './verdict.js'
export * from './vitest-file.js'
