import { describe, expect, it } from 'vitest'
import { composeRedactors, isLuhnValid, redactionRules } from './redaction.js'

describe('redactionRules', () => {
  it('email', () => {
    expect(redactionRules.email('mail jane.doe+x@mail.example.co.uk now')).toBe('mail [REDACTED:email] now')
  })

  it('apiKey: sk- keys, Bearer tokens, AWS key ids, named secrets, long mixed tokens', () => {
    const r = redactionRules.apiKey
    expect(r('key sk-proj-abcdefghijklmnop1234 ok')).toBe('key [REDACTED:api_key] ok')
    expect(r('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc')).toBe('Authorization: Bearer [REDACTED:api_key]')
    expect(r('id AKIAIOSFODNN7EXAMPLE here')).toBe('id [REDACTED:api_key] here')
    expect(r('{"api_key": "hunter2hunter2"}')).toBe('{"api_key": "[REDACTED:api_key]"}')
    expect(r('token aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5')).toBe('token [REDACTED:api_key]')
  })

  it('apiKey leaves ordinary ids alone', () => {
    const r = redactionRules.apiKey
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
    const uuid = '123e4567-e89b-12d3-a456-426614174000'
    expect(r(`trace ${traceId} uuid ${uuid} max_tokens: 12345678`)).toBe(
      `trace ${traceId} uuid ${uuid} max_tokens: 12345678`,
    )
  })

  it('cardNumber redacts Luhn-valid 13-19 digit numbers only', () => {
    const r = redactionRules.cardNumber
    expect(r('visa 4111 1111 1111 1111.')).toBe('visa [REDACTED:card_number].')
    expect(r('amex 3782-822463-10005')).toBe('amex [REDACTED:card_number]')
    expect(r('plain 4012888888881881')).toBe('plain [REDACTED:card_number]')
    // Same shape, last digit changed: fails Luhn, so it is an order number, not a card.
    expect(r('order 4111 1111 1111 1112')).toBe('order 4111 1111 1111 1112')
    expect(r('short 411111111111')).toBe('short 411111111111')
    expect(r('too long 41111111111111111111')).toBe('too long 41111111111111111111')
  })

  it('isLuhnValid', () => {
    expect(isLuhnValid('79927398713')).toBe(true)
    expect(isLuhnValid('79927398710')).toBe(false)
  })

  it('composeRedactors applies rules left to right', () => {
    const redact = composeRedactors(redactionRules.email, redactionRules.cardNumber, (s) => s.toUpperCase())
    expect(redact('a@b.io paid with 4111111111111111')).toBe('[REDACTED:EMAIL] PAID WITH [REDACTED:CARD_NUMBER]')
  })
})
