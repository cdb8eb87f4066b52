import { LineSplitter, colourAt, formatPrefix, shouldUseColour } from './log-prefix.js';

describe('log line prefixing', () => {
  it('reassembles lines split across chunks', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('{"level":"info","msg":"sta')).toEqual([]);
    expect(splitter.push('rted"}\n{"level":"warn"}\n{"lev')).toEqual(['{"level":"info","msg":"started"}', '{"level":"warn"}']);
    expect(splitter.push('el":"error"}\r\n\n')).toEqual(['{"level":"error"}', '']);
    expect(splitter.flush()).toEqual([]);
  });

  it('hands over an unterminated last line at the end', () => {
    const splitter = new LineSplitter();
    splitter.push('first\nlast words');
    expect(splitter.flush()).toEqual(['last words']);
    expect(splitter.flush()).toEqual([]);
  });

  it('pads the prefix so that every line starts in one column', () => {
    expect(formatPrefix('gateway', 11)).toBe('[gateway]     ');
    expect(formatPrefix('attribution', 11)).toBe('[attribution] ');
    expect(formatPrefix('gateway', 11).length).toBe(formatPrefix('attribution', 11).length);
  });

  it('colours only the label', () => {
    expect(formatPrefix('nats', 6, '36')).toBe('\u001b[36m[nats]\u001b[0m   ');
  });

  it('cycles through the palette', () => {
    expect(colourAt(0)).toBe('36');
    expect(colourAt(10)).toBe(colourAt(0));
    expect(colourAt(1)).not.toBe(colourAt(0));
  });

  it('follows NO_COLOR and FORCE_COLOR, else the terminal', () => {
    expect(shouldUseColour(true, {})).toBe(true);
    expect(shouldUseColour(false, {})).toBe(false);
    expect(shouldUseColour(true, { NO_COLOR: '1' })).toBe(false);
    expect(shouldUseColour(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(shouldUseColour(true, { FORCE_COLOR: '0' })).toBe(false);
  });
});
