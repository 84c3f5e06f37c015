import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { AppError } from '../errors.js'
import { requireAdmin } from './admin-auth.js'

function app(adminKey: string | undefined) {
  const hono = new Hono()
  hono.use('*', requireAdmin(adminKey))
  hono.get('/', (c) => c.text('admin'))
  hono.onError((error, c) =>
    c.json({ code: (error as AppError).code, message: error.message }, (error as AppError).status as 401),
  )
  return hono
}

const ADMIN_KEY = 'admin-key-0123456789abcdef'

describe('requireAdmin', () => {
  it('is off (404, saying how to turn it on) when SIGHTLINE_ADMIN_KEY is unset, whatever is sent', async () => {
    const res = await app(undefined).request('/', { headers: { Authorization: `Bearer ${ADMIN_KEY}` } })
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({
      code: 'admin_disabled',
      message: expect.stringContaining('SIGHTLINE_ADMIN_KEY'),
    })
  })

  it('answers 401 without a key and 403 with a wrong one, never echoing either', async () => {
    expect((await app(ADMIN_KEY).request('/')).status).toBe(401)
    for (const wrong of ['nope', `${ADMIN_KEY}x`, ADMIN_KEY.slice(0, -1)]) {
      const res = await app(ADMIN_KEY).request('/', { headers: { Authorization: `Bearer ${wrong}` } })
      expect(res.status).toBe(403)
      expect(await res.text()).not.toContain(wrong)
    }
    expect((await app(ADMIN_KEY).request('/', { headers: { 'x-api-key': ADMIN_KEY } })).status).toBe(401)
  })

  it('lets the right key through', async () => {
    const res = await app(ADMIN_KEY).request('/', { headers: { Authorization: `bearer ${ADMIN_KEY}` } })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('admin')
  })
})
