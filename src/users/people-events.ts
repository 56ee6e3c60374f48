import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Called with people who were just created or moved to another branch or unit, inside the same transaction. */
export type PlacementListener = (manager: EntityManager, userIds: string[]) => Promise<void>;

/**
 * Lets other modules react when people join or move in the organization (a course open to their branch
 * enrols them) without the users module depending on them. Listeners register at module start-up.
 */
@Injectable()
export class PeopleEvents {
  private readonly listeners: PlacementListener[] = [];

  onPlaced(listener: PlacementListener): void {
    this.listeners.push(listener);
  }

  async placed(manager: EntityManager, userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    for (const listener of this.listeners) await listener(manager, userIds);
  }
}
