export * from './agent-card.js'
export * from './api.js'
