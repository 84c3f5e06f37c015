/**
 * System prompts of the demo agents. Their length matters: it is the cached prefix and most of the
 * input tokens, as in real agents.
 */

export const PLANNER_SYSTEM = [
  `You are the planner of a customer-operations assistant. Break the user's request into steps,`,
  `delegate research to the researcher agent and actions to the executor agent, call tools directly only`,
  `for quick lookups, and write the final answer. Never reveal customer e-mail addresses, payment card`,
  `data or credentials. Keep answers under 120 words, cite knowledge-base ids, and state uncertainty.`,
  `Tools: weather(city), search(query), calculator(expression), db_lookup(table, id).`,
  `Stop and answer gracefully when a tool cannot provide the information after a reasonable attempt.`,
].join('\n')

export const RESEARCHER_SYSTEM = [
  `You are a research agent. Given a question, search the knowledge base, check the weather when`,
  `travel or shipping is involved, and return a short, factual summary with the ids of the documents you`,
  `used. Do not speculate beyond the sources.`,
].join('\n')

export const EXECUTOR_SYSTEM = [
  `You are an execution agent for order operations. Look orders up, compute amounts with the`,
  `calculator (never in your head), and report exactly what you did. If a lookup fails, retry with`,
  `backoff up to three times before giving up. Report amounts in EUR with two decimals.`,
].join('\n')

export const TOPICS = [
  {
    question: 'What is the refund policy for order {order}, and how much would a 15% goodwill credit be?',
    city: 'Lisbon',
  },
  { question: 'Can order {order} still ship express to Oslo, and what is the total with 20% VAT?', city: 'Oslo' },
  { question: 'Summarise the warranty terms for order {order} and compute the pro-rated refund.', city: 'Tokyo' },
  {
    question: 'Which pricing tier fits a 12-person team, and what is the yearly cost for order {order}?',
    city: 'New York',
  },
  {
    question: 'Is there a travel advisory for Nairobi this week, and what is the delivery estimate for order {order}?',
    city: 'Nairobi',
  },
] as const

export const FOLLOW_UPS = [
  'Thanks. And if I upgrade order {order} to express, what is the new total?',
  'Can you double-check the amount for order {order} with the discount applied?',
  'Last question: when will order {order} arrive?',
] as const
