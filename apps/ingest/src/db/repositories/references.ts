/** Reference trajectories saved from good traces, parsed with the contract's schema. */
import { ReferenceTrajectorySchema, type ReferenceTrajectory } from '@sightline/schema'
import type { Store } from '../client.js'
import { JsonDocuments } from './json-documents.js'

export class ReferenceRepository {
  private readonly docs: JsonDocuments

  constructor(store: Store) {
    this.docs = new JsonDocuments(store, 'reference_trajectories')
  }

  async list(projectId: string): Promise<ReferenceTrajectory[]> {
    return (await this.docs.list(projectId)).map((d) => ReferenceTrajectorySchema.parse(JSON.parse(d.json)))
  }

  async get(projectId: string, id: string): Promise<ReferenceTrajectory | undefined> {
    const json = await this.docs.get(projectId, id)
    return json === undefined ? undefined : ReferenceTrajectorySchema.parse(JSON.parse(json))
  }

  async put(projectId: string, reference: ReferenceTrajectory): Promise<void> {
    await this.docs.put(projectId, reference.id, JSON.stringify(reference))
  }

  async delete(projectId: string, id: string): Promise<boolean> {
    if (!(await this.get(projectId, id))) return false
    await this.docs.delete(projectId, id)
    return true
  }
}
