import { useMemo } from 'react'
import { JsonView } from './JsonView'
import { parseMessages, type ChatMessage, type MessagePart } from './messages'

/** Input and output messages as a chat transcript. */
export function Conversation({ input, output }: { input: string; output: string }) {
  const inMessages = useMemo(() => parseMessages(input, 'user'), [input])
  const outMessages = useMemo(() => parseMessages(output, 'assistant'), [output])
  if (inMessages.length === 0 && outMessages.length === 0)
    return <p className="muted small">No input or output recorded.</p>
  return (
    <div className="conversation">
      {inMessages.map((m, i) => (
        <Message key={`i${i}`} message={m} />
      ))}
      {outMessages.length > 0 && (
        <div className="conv-divider">
          <span>output</span>
        </div>
      )}
      {outMessages.map((m, i) => (
        <Message key={`o${i}`} message={m} />
      ))}
    </div>
  )
}

export function Message({ message }: { message: ChatMessage }) {
  return (
    <div className={`msg role-${message.role}`}>
      <div className="msg-role">{message.role}</div>
      <div className="msg-body">
        {message.parts.length === 0 && <span className="muted small">(empty)</span>}
        {message.parts.map((p, i) => (
          <Part key={i} part={p} />
        ))}
      </div>
    </div>
  )
}

function Part({ part }: { part: MessagePart }) {
  switch (part.type) {
    case 'text':
      return <div className="msg-text">{part.text}</div>
    case 'reasoning':
      return (
        <details className="msg-reasoning">
          <summary>reasoning</summary>
          <div className="msg-text">{part.text}</div>
        </details>
      )
    case 'tool_call':
      return (
        <div className="msg-tool">
          <div className="small">
            <span className="badge b-tool">CALL</span> <strong>{part.name}</strong>{' '}
            <span className="muted mono">{part.id}</span>
          </div>
          <JsonView value={part.arguments} />
        </div>
      )
    case 'tool_result':
      return (
        <div className="msg-tool">
          <div className="small">
            <span className="badge b-tool">RESULT</span> {part.name && <strong>{part.name}</strong>}{' '}
            <span className="muted mono">{part.id}</span>
          </div>
          <JsonView value={part.result} />
        </div>
      )
    case 'json':
      return <JsonView value={part.value} />
  }
}
