import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { retryingTransaction } from './lock-retry';

/**
 * How a service makes several repository calls atomic without holding SQL itself: `run` hands out the
 * transaction's EntityManager, which the service passes to each repository method (and to the event bus's
 * in-transaction handlers). A deadlock or lock wait timeout runs the whole work again.
 */
@Injectable()
export class Transactions {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return retryingTransaction(this.dataSource, work);
  }
}
