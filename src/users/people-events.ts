import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventBus } from '../events/event-bus';

/**
 * Tells the other modules, inside the same transaction, when people join or move in the organization (a
 * course open to their branch enrols them), through the event bus ('people.placed').
 */
@Injectable()
export class PeopleEvents {
  constructor(private readonly bus: EventBus) {}

  async placed(manager: EntityManager, userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    await this.bus.emitInTransaction(manager, 'people.placed', { userIds });
  }
}
