import { DiscoveryService } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import type { AfterCommitEvent, AfterCommitEvents, InTransactionEvent, InTransactionEvents } from './event-map';

type Method<Args extends unknown[]> = (...args: Args) => Promise<void>;

const afterCommit = DiscoveryService.createDecorator<AfterCommitEvent>();
const inTransaction = DiscoveryService.createDecorator<InTransactionEvent>();

/** Marks a method that reacts, after commit, to an event; its parameter is typed by the event's name. */
export function OnEvent<K extends AfterCommitEvent>(name: K) {
  return afterCommit(name) as <M extends Method<[AfterCommitEvents[K]]>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ) => void;
}

/** Marks a method that reacts inside the emitter's transaction; it gets the payload and the EntityManager. */
export function OnEventInTransaction<K extends InTransactionEvent>(name: K) {
  return inTransaction(name) as <M extends Method<[InTransactionEvents[K], EntityManager]>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ) => void;
}

export const EVENT_DECORATORS = { afterCommit, inTransaction };
