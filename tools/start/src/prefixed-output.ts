import { prettyLogLine, type LogFormat } from './log-format.js';
import { LineSplitter, colourAt, formatPrefix } from './log-prefix.js';

export interface LineSink {
  write(chunk: string): void;
  /** Prints a last line that had no newline. */
  end(): void;
}

/**
 * The terminal shared by every process we run: each line carries its process's prefix, in a
 * colour of its own, padded to the longest name so that the log lines start in one column.
 */
export class PrefixedOutput {
  private readonly width: number;

  constructor(
    private readonly names: readonly string[],
    private readonly colour: boolean,
    private readonly format: LogFormat = 'json',
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {
    this.width = Math.max(...names.map((name) => name.length));
  }

  line(name: string, text: string, stream: 'out' | 'err' = 'out'): void {
    (stream === 'out' ? this.stdout : this.stderr).write(`${this.prefix(name)}${text}\n`);
  }

  /** Where a process's output goes: line by line, under its prefix, its JSON log lines made readable when the format is `pretty`. */
  sink(name: string, stream: 'out' | 'err'): LineSink {
    const splitter = new LineSplitter();
    const print = (text: string) => {
      for (const line of this.format === 'pretty' ? prettyLogLine(text, this.colour) : [text]) this.line(name, line, stream);
    };
    return {
      write: (chunk) => splitter.push(chunk).forEach(print),
      end: () => splitter.flush().forEach(print),
    };
  }

  private prefix(name: string): string {
    const index = this.names.indexOf(name);
    return formatPrefix(name, this.width, this.colour ? colourAt(index < 0 ? this.names.length : index) : undefined);
  }
}
