import { describe, expect, it } from 'vitest'
import { extractAgentName, extractResourceIdentity, extractSessionId, extractUserId } from './identity.js'

describe('session and user ids', () => {
  it.each([
    [{ 'session.id': 's1' }],
    [{ 'langfuse.session.id': 's1' }],
    [{ 'traceloop.association.properties.session_id': 's1' }],
    [{ 'ai.telemetry.metadata.sessionId': 's1' }],
    [{ 'ai.telemetry.metadata.session_id': 's1' }],
    [{ 'mastra.metadata.sessionId': 's1' }],
    [{ metadata: '{"session_id":"s1"}' }],
  ])('reads the session from %o', (attrs) => {
    expect(extractSessionId(attrs)).toBe('s1')
  })

  it('falls back to gen_ai.conversation.id only when no session key is present', () => {
    expect(extractSessionId({ 'gen_ai.conversation.id': 'conv' })).toBe('conv')
    expect(
      extractSessionId({ 'gen_ai.conversation.id': 'conv', 'traceloop.association.properties.session_id': 's' }),
    ).toBe('s')
  })

  it.each([
    [{ 'user.id': 'u1' }],
    [{ 'langfuse.user.id': 'u1' }],
    [{ 'traceloop.association.properties.user_id': 'u1' }],
    [{ 'ai.telemetry.metadata.userId': 'u1' }],
    [{ 'mastra.metadata.userId': 'u1' }],
    [{ metadata: { user_id: 'u1' } }],
    [{ metadata: '{"lc_agent_name":"a","user_id":"u1"}' }],
  ])('reads the user from %o', (attrs) => {
    expect(extractUserId(attrs)).toBe('u1')
  })
})

describe('extractAgentName', () => {
  it('reads explicit agent-name keys on any span', () => {
    expect(extractAgentName({ 'gen_ai.agent.name': 'a' }, 'chat x', 'llm')).toBe('a')
    expect(extractAgentName({ 'agent.name': 'b' }, 'x', 'chain')).toBe('b')
    expect(extractAgentName({ 'a2a.agent.name': 'remote' }, 'x', 'handoff')).toBe('remote')
    expect(extractAgentName({ metadata: '{"lc_agent_name":"lc"}' }, 'x', 'chain')).toBe('lc')
  })

  it('names agent spans after the convention-specific source', () => {
    expect(
      extractAgentName(
        { 'traceloop.span.kind': 'agent', 'traceloop.entity.name': 'weather' },
        'weather.agent',
        'agent',
      ),
    ).toBe('weather')
    expect(extractAgentName({ 'ai.telemetry.functionId': 'fn' }, 'ai.generateText', 'agent')).toBe('fn')
    expect(extractAgentName({ 'openinference.span.kind': 'AGENT' }, 'planner', 'agent')).toBe('planner')
    expect(extractAgentName({}, 'invoke_agent demo', 'agent')).toBe('demo')
  })

  it('leaves non-agent spans without a name for the trace pass to inherit', () => {
    expect(extractAgentName({ 'ai.telemetry.functionId': 'fn' }, 'ai.toolCall', 'tool')).toBe('')
  })
})

describe('extractResourceIdentity', () => {
  it('prefers deployment.environment.name over the deprecated key', () => {
    expect(
      extractResourceIdentity({
        'service.name': 's',
        'service.version': '1',
        'deployment.environment.name': 'prod',
        'deployment.environment': 'old',
      }),
    ).toEqual({
      serviceName: 's',
      serviceVersion: '1',
      environment: 'prod',
    })
    expect(extractResourceIdentity({ 'deployment.environment': 'staging' }).environment).toBe('staging')
  })
})
