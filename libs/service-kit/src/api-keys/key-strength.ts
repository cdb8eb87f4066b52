/**
 * Whether an API key could have been typed by a person or copied from an example, rather than
 * generated: the keys a production service refuses to start with. The reason never echoes the key.
 */
export const MIN_PRODUCTION_KEY_LENGTH = 24;
/** Shannon entropy of the key's own characters, times its length: a floor far below a random key's. */
const MIN_ESTIMATED_BITS = 80;

/** Words of templates and examples (compared lower-case, without `-`, `_` and `.`). */
const PLACEHOLDER_WORDS = ['changeme', 'example', 'placeholder', 'replaceme', 'yourkey', 'yourapikey', 'secret', 'password', 'dummy', 'sample', 'devadminkey', 'insertkey', 'notakey'];

/** How to make one, for start-up errors and docs. */
export const KEY_GENERATION_HINT = 'generate one with `openssl rand -hex 32`';

export function weakKeyReason(key: string): string | undefined {
  if (key.length < MIN_PRODUCTION_KEY_LENGTH) return `is ${key.length} characters long, fewer than ${MIN_PRODUCTION_KEY_LENGTH}`;
  const folded = key.toLowerCase().replace(/[-_.]/g, '');
  const word = PLACEHOLDER_WORDS.find((candidate) => folded.includes(candidate));
  if (word) return `looks like a placeholder (contains "${word}")`;
  if (estimatedBits(key) < MIN_ESTIMATED_BITS) return 'has too little entropy (repeated or few distinct characters)';
  if (isMostlySequential(key)) return 'is mostly a run of consecutive characters';
  return undefined;
}

function estimatedBits(key: string): number {
  const counts = new Map<string, number>();
  for (const character of key) counts.set(character, (counts.get(character) ?? 0) + 1);
  let perCharacter = 0;
  for (const count of counts.values()) {
    const p = count / key.length;
    perCharacter -= p * Math.log2(p);
  }
  return perCharacter * key.length;
}

/** `abcdef…`, `123456…`, `zyxw…`: more than half the neighbours one code point apart. */
function isMostlySequential(key: string): boolean {
  let steps = 0;
  for (let i = 1; i < key.length; i++) if (Math.abs(key.charCodeAt(i) - key.charCodeAt(i - 1)) === 1) steps++;
  return steps * 2 > key.length - 1;
}
