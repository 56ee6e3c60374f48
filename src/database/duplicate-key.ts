import { QueryFailedError } from 'typeorm';

/** A unique key refused the row: someone else wrote it first. */
export function isDuplicateKey(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === 'ER_DUP_ENTRY';
}
