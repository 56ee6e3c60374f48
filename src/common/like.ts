/** A LIKE pattern matching `text` anywhere, its wildcards taken literally (a search for "10%" finds "10%"). */
export function like(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
