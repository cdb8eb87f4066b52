/**
 * Subject tokens cannot hold '.', '*', '>' or whitespace, but model names do
 * ("gpt-4.1", "openai/gpt-4o"). Percent-encode everything outside [A-Za-z0-9_-] so any string
 * maps to exactly one token and back.
 */
export function encodeSubjectToken(value: string): string {
  if (value === '') return '%';
  return Array.from(new TextEncoder().encode(value), (byte) => {
    const char = String.fromCharCode(byte);
    return /[A-Za-z0-9_-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

export function decodeSubjectToken(token: string): string {
  if (token === '%') return '';
  return decodeURIComponent(token);
}
