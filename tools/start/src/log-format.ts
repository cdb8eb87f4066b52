/** How `npm start` prints the services' JSON log lines: readable on a terminal, as they are otherwise. */
export type LogFormat = 'pretty' | 'json';

/** `LOG_FORMAT=json` or `pretty` when asked; otherwise pretty on a terminal and JSON into a pipe or file. */
export function chooseLogFormat(isTerminal: boolean, env: NodeJS.ProcessEnv): LogFormat {
  const asked = env['LOG_FORMAT']?.trim().toLowerCase();
  if (asked === 'json' || asked === 'pretty') return asked;
  return isTerminal ? 'pretty' : 'json';
}

const LEVEL_COLOURS: Record<string, string> = { error: '31', fatal: '31', warn: '33', info: '32', debug: '90' };
// Shown by the line's prefix and its time column, or printed on lines of their own.
const OMITTED = new Set(['time', 'level', 'service', 'msg', 'stack']);

const paint = (colour: boolean, code: string, text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);

function valueText(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/**
 * One JSON log line as `12:04:05.123 INFO  message  key=value …` (the time in UTC, as logged),
 * with a stack trace, if any, on the lines after it. A line that is not one of our JSON log
 * lines (Postgres, nats-server, a crash's output) comes back as it was.
 */
export function prettyLogLine(text: string, colour: boolean): string[] {
  if (!text.startsWith('{')) return [text];
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return [text];
  }
  if (typeof entry !== 'object' || entry === null || typeof entry['msg'] !== 'string' || typeof entry['level'] !== 'string') return [text];
  const level = entry['level'] as string;
  const time = typeof entry['time'] === 'string' ? (entry['time'] as string).slice(11, 23) : '';
  const err = entry['err'] as { stack?: unknown } | undefined;
  const stack = typeof entry['stack'] === 'string' ? entry['stack'] : typeof err?.stack === 'string' ? err.stack : undefined;
  const fields = Object.entries(entry)
    .filter(([key]) => !OMITTED.has(key) && !(key === 'err' && stack !== undefined))
    .map(([key, value]) => `${paint(colour, '2', `${key}=`)}${valueText(value)}`);
  const head = [time && paint(colour, '2', time), paint(colour, LEVEL_COLOURS[level] ?? '0', level.toUpperCase().padEnd(5)), entry['msg'] as string, ...fields]
    .filter((part) => part !== '')
    .join(' ');
  return stack ? [head, ...stack.split('\n').map((line) => `    ${line.trim()}`)] : [head];
}
