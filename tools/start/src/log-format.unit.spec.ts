import { chooseLogFormat, prettyLogLine } from './log-format.js';
import { PrefixedOutput } from './prefixed-output.js';

describe('log format', () => {
  it('is pretty on a terminal and JSON into a pipe, unless LOG_FORMAT says', () => {
    expect(chooseLogFormat(true, {})).toBe('pretty');
    expect(chooseLogFormat(false, {})).toBe('json');
    expect(chooseLogFormat(true, { LOG_FORMAT: 'json' })).toBe('json');
    expect(chooseLogFormat(false, { LOG_FORMAT: 'Pretty' })).toBe('pretty');
    expect(chooseLogFormat(true, { LOG_FORMAT: 'xml' })).toBe('pretty');
  });

  it('prints a JSON line as time, level, message and fields, the stack on lines of its own', () => {
    const line = JSON.stringify({ time: '2026-12-02T15:56:30.868Z', level: 'info', service: 'pricing', msg: 'catalog loaded', version: 'genai-prices@0.1.8', models: 1694, note: 'two words' });
    expect(prettyLogLine(line, false)).toEqual(['15:56:30.868 INFO  catalog loaded version=genai-prices@0.1.8 models=1694 note="two words"']);
    const failed = JSON.stringify({ time: '2026-12-02T15:56:31.000Z', level: 'error', service: 'budgeting', msg: 'boom', err: { name: 'Error', message: 'boom', stack: 'Error: boom\n    at f (a.js:1:1)\n    at g (b.js:2:2)' } });
    expect(prettyLogLine(failed, false)).toEqual(['15:56:31.000 ERROR boom', '    Error: boom', '    at f (a.js:1:1)', '    at g (b.js:2:2)']);
    expect(prettyLogLine(line, true)[0]).toBe('\u001b[2m15:56:30.868\u001b[0m \u001b[32mINFO \u001b[0m catalog loaded \u001b[2mversion=\u001b[0mgenai-prices@0.1.8 \u001b[2mmodels=\u001b[0m1694 \u001b[2mnote=\u001b[0m"two words"');
  });

  it('leaves lines that are not our JSON log lines as they are', () => {
    for (const text of ['2026-12-02 15:56:20.238 UTC [25039] LOG:  starting PostgreSQL', '{not json', '{"no":"msg"}', '']) expect(prettyLogLine(text, false)).toEqual([text]);
  });

  it('is applied to what the services write, under their prefix', () => {
    const written: string[] = [];
    const terminal = { write: (chunk: string) => written.push(chunk) } as unknown as NodeJS.WritableStream;
    const output = new PrefixedOutput(['start', 'pricing'], false, 'pretty', terminal, terminal);
    const sink = output.sink('pricing', 'out');
    sink.write('{"time":"2026-12-02T15:56:30.868Z","level":"warn","service":"pricing","msg":"slow"}\nplain text\n');
    expect(written).toEqual(['[pricing] 15:56:30.868 WARN  slow\n', '[pricing] plain text\n']);
  });
});
