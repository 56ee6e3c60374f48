export type Errors = Record<string, string[]>;

export function num(value: string): number | undefined {
  return value.trim() === '' ? undefined : Number(value);
}

export const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
