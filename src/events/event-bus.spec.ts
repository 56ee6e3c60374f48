import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { EntityManager } from 'typeorm';
import type { AfterCommitEvents, InTransactionEvents } from './event-map';
import { EventBus } from './event-bus';
import { EventsModule } from './events.module';
import { OnEvent, OnEventInTransaction } from './on-event.decorator';

@Injectable()
class Listener {
  readonly seen: string[] = [];

  @OnEvent('course.closed')
  async closed(event: AfterCommitEvents['course.closed']): Promise<void> {
    this.seen.push(`closed ${event.courseId}`);
  }

  @OnEvent('course.closed')
  async failsAfterCommit(): Promise<void> {
    throw new Error('mail server down');
  }

  @OnEventInTransaction('people.placed')
  async placed(event: InTransactionEvents['people.placed'], manager: EntityManager): Promise<void> {
    if (event.userIds.includes('bad')) throw new Error('cannot place');
    this.seen.push(`placed ${event.userIds.join(',')} with ${String(manager)}`);
  }
}

describe('EventBus', () => {
  async function start(): Promise<{ bus: EventBus; listener: Listener }> {
    const module = await Test.createTestingModule({ imports: [EventsModule], providers: [Listener] }).compile();
    await module.init();
    return { bus: module.get(EventBus), listener: module.get(Listener) };
  }

  it('finds handlers on any provider and calls them with the payload', async () => {
    const { bus, listener } = await start();
    await bus.emit('course.closed', { courseId: '7' });
    expect(listener.seen).toEqual(['closed 7']);
    expect(bus.handlers()).toEqual({
      'course.closed': ['Listener.closed', 'Listener.failsAfterCommit'],
      'people.placed': ['Listener.placed'],
    });
  });

  it('after commit, a failing handler is logged and the emitter goes on', async () => {
    const { bus } = await start();
    await expect(bus.emit('course.closed', { courseId: '8' })).resolves.toBeUndefined();
  });

  it('inside a transaction, handlers get the manager and a failure reaches the emitter', async () => {
    const { bus, listener } = await start();
    const manager = { toString: () => 'tx-1' } as unknown as EntityManager;
    await bus.emitInTransaction(manager, 'people.placed', { userIds: ['1', '2'] });
    expect(listener.seen).toEqual(['placed 1,2 with tx-1']);
    await expect(bus.emitInTransaction(manager, 'people.placed', { userIds: ['bad'] })).rejects.toThrow('cannot place');
  });

  it('an event nobody handles is a no-op', async () => {
    const { bus } = await start();
    await expect(bus.emit('activity.changed', { activityId: '1', courseId: '2', type: 'video' })).resolves.toBeUndefined();
  });
});
