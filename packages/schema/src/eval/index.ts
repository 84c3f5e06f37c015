/** Evaluation: scores, score configs, evaluators and their runs, human review, the CI gate, score analytics. */
export * from './score.js'
export * from './score-config.js'
export * from './reference.js'
export * from './evaluator.js'
export * from './review.js'
export * from './eval-run.js'
export * from './score-analytics.js'
