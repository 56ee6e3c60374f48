import { ValueTransformer } from 'typeorm';

/** DECIMAL comes back from mysql2 as a string; credit hours are small numbers, so a JS number is exact enough. */
export const decimalNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null || value === undefined ? value : Number(value)),
};

/** JSON kept in a MEDIUMTEXT column (TypeORM's simple-json is TEXT, which caps at 64 KB). */
export const jsonText: ValueTransformer = {
  to: (value: unknown) => (value === null || value === undefined ? value : JSON.stringify(value)),
  from: (value: string | null) => (value === null || value === undefined ? value : JSON.parse(value)),
};
