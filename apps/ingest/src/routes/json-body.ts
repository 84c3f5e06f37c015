import { badRequest } from '../errors.js'

/** The request's JSON body; a body that is not JSON is the client's 400, never a 500. */
export async function jsonBody(c: { req: { json(): Promise<unknown> } }): Promise<unknown> {
  try {
    return await c.req.json()
  } catch {
    throw badRequest('Malformed JSON in request body')
  }
}
