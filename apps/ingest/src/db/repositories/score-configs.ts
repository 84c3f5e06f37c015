/** The project's score configs (rubric), parsed with the contract's schema. */
import { ScoreConfigSchema, type ScoreConfig } from '@sightline/schema'
import type { Store } from '../client.js'
import { JsonDocuments } from './json-documents.js'

export class ScoreConfigRepository {
  private readonly docs: JsonDocuments

  constructor(store: Store) {
    this.docs = new JsonDocuments(store, 'score_configs')
  }

  async list(projectId: string): Promise<ScoreConfig[]> {
    return (await this.docs.list(projectId)).map((d) => ScoreConfigSchema.parse(JSON.parse(d.json)))
  }

  async byName(projectId: string): Promise<Map<string, ScoreConfig>> {
    return new Map((await this.list(projectId)).map((c) => [c.name, c]))
  }

  async get(projectId: string, name: string): Promise<ScoreConfig | undefined> {
    const json = await this.docs.get(projectId, name)
    return json === undefined ? undefined : ScoreConfigSchema.parse(JSON.parse(json))
  }

  async put(projectId: string, config: ScoreConfig): Promise<void> {
    await this.docs.put(projectId, config.name, JSON.stringify(config))
  }

  async delete(projectId: string, name: string): Promise<boolean> {
    if (!(await this.get(projectId, name))) return false
    await this.docs.delete(projectId, name)
    return true
  }
}
