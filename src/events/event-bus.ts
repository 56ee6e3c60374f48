import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import type { AfterCommitEvent, AfterCommitEvents, InTransactionEvent, InTransactionEvents } from './event-map';
import { EVENT_DECORATORS } from './on-event.decorator';

type Handler = { owner: string; call: (payload: unknown, manager?: EntityManager) => Promise<void> };

/**
 * The one way modules tell each other what changed. Handlers are found at start-up like job handlers
 * (@OnEvent / @OnEventInTransaction on any provider) and run in turn, in module order.
 */
@Injectable()
export class EventBus implements OnModuleInit {
  private readonly logger = new Logger(EventBus.name);
  private readonly afterCommit = new Map<string, Handler[]>();
  private readonly inTransaction = new Map<string, Handler[]>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = instance[method] as Handler['call'];
        const owner = `${instance.constructor.name}.${method}`;
        const after = this.discovery.getMetadataByDecorator(EVENT_DECORATORS.afterCommit, wrapper, method);
        if (after) push(this.afterCommit, after, { owner, call: fn.bind(instance) });
        const inside = this.discovery.getMetadataByDecorator(EVENT_DECORATORS.inTransaction, wrapper, method);
        if (inside) push(this.inTransaction, inside, { owner, call: fn.bind(instance) });
      }
    }
  }

  /** Tells the handlers of a committed change. A handler's failure is logged, never rethrown. */
  async emit<K extends AfterCommitEvent>(name: K, payload: AfterCommitEvents[K]): Promise<void> {
    for (const handler of this.afterCommit.get(name) ?? []) {
      await handler.call(payload).catch((error: Error) => this.logger.warn(`${handler.owner} failed on ${name}: ${error.message}`));
    }
  }

  /** Runs the handlers inside the caller's transaction; a failure propagates and rolls the caller back. */
  async emitInTransaction<K extends InTransactionEvent>(manager: EntityManager, name: K, payload: InTransactionEvents[K]): Promise<void> {
    for (const handler of this.inTransaction.get(name) ?? []) await handler.call(payload, manager);
  }

  /** The handlers of each event, for the start-up log and tests. */
  handlers(): Record<string, string[]> {
    const all: Record<string, string[]> = {};
    for (const [name, list] of [...this.afterCommit, ...this.inTransaction]) all[name] = list.map((h) => h.owner);
    return all;
  }
}

function push(map: Map<string, Handler[]>, name: string, handler: Handler): void {
  map.set(name, [...(map.get(name) ?? []), handler]);
}
