/**
 * Roughly the server's count (characters a reader sees, without spaces or Markdown marks), for the live counter;
 * the server's count decides.
 */
export function countCharacters(text: string): number {
  const plain = text
    .replace(/```[^\n]*\n?/g, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/(\*\*|__|\*|_|~~|`)/g, '');
  return [...plain.replace(/\s+/g, '')].length;
}
