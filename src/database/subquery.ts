/**
 * A piece of SQL selecting ids, from the repository owning the table, for another module's repository to
 * put in its own WHERE (`id IN (${sql})`): one module filters by another's data without naming its tables.
 */
export interface Subquery {
  sql: string;
  params: unknown[];
}
