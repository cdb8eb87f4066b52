/** ANSI foreground colours that stay readable on dark and light terminals. */
const PALETTE = ['36', '32', '33', '35', '34', '96', '92', '93', '95', '94'];
const RESET = '\u001b[0m';

/**
 * Turns a stream of chunks into whole lines. Children write in arbitrary chunks; a JSON log
 * line split across two chunks must still be printed as one line under one prefix.
 */
export class LineSplitter {
  private pending = '';

  push(chunk: string): string[] {
    const text = this.pending + chunk;
    const lines = text.split('\n');
    this.pending = lines.pop() ?? '';
    return lines.map(stripCarriageReturn);
  }

  /** The unterminated last line, if any, when the stream ends. */
  flush(): string[] {
    const rest = this.pending;
    this.pending = '';
    return rest === '' ? [] : [stripCarriageReturn(rest)];
  }
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** `[name]` padded to `width` name characters so the lines of all processes align. */
export function formatPrefix(name: string, width: number, colour?: string): string {
  const label = `[${name}]`;
  const padding = ' '.repeat(Math.max(0, width - name.length) + 1);
  return colour === undefined ? `${label}${padding}` : `\u001b[${colour}m${label}${RESET}${padding}`;
}

export function colourAt(index: number): string {
  return PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length] as string;
}

/** Follows the NO_COLOR / FORCE_COLOR conventions; otherwise colour only on a terminal. */
export function shouldUseColour(isTerminal: boolean, env: NodeJS.ProcessEnv): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined) return env['FORCE_COLOR'] !== '0' && env['FORCE_COLOR'] !== 'false';
  return isTerminal;
}
