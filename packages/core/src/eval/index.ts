/** Evaluation logic shared by ingest (evaluators, review), the console and the CLI (the gate). */
export * from './trajectory-metrics.js'
export * from './outcome.js'
export * from './judge.js'
export * from './agreement.js'
export * from './gate.js'
export * from './sampling.js'
export * from './score-value.js'
export * from './score-drop.js'
