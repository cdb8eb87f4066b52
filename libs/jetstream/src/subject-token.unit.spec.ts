import fc from 'fast-check';
import { decodeSubjectToken, encodeSubjectToken } from './subject-token.js';
import { namespaceFor, ROOT_NAMESPACE, streamIn, subjectIn, subjectWithin } from './namespace.js';

describe('subject tokens', () => {
  it.each([
    ['gpt-4o', 'gpt-4o'],
    ['gpt-4.1', 'gpt-4%2E1'],
    ['openai/gpt-4o', 'openai%2Fgpt-4o'],
    ['anthropic.claude-3-5-sonnet-20240620-v1:0', 'anthropic%2Eclaude-3-5-sonnet-20240620-v1%3A0'],
    ['', '%'],
    ['a b*>', 'a%20b%2A%3E'],
  ])('encodes %j as one token %j', (value, token) => {
    expect(encodeSubjectToken(value)).toBe(token);
    expect(decodeSubjectToken(token)).toBe(value);
  });

  it('maps any string to a single valid token and back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (value) => {
        const token = encodeSubjectToken(value);
        expect(token).toMatch(/^[A-Za-z0-9_%-]+$/);
        expect(decodeSubjectToken(token)).toBe(value);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('namespaces', () => {
  it('prefixes subjects and stream names, and strips the prefix again', () => {
    const ns = namespaceFor('t3f9a-x');
    expect(subjectIn(ns, 'finops.in.acme.llm_call')).toBe('t3f9a-x.finops.in.acme.llm_call');
    expect(streamIn(ns, 'FINOPS_IN')).toBe('T3F9A_X_FINOPS_IN');
    expect(subjectWithin(ns, 't3f9a-x.finops.in.acme.llm_call')).toBe('finops.in.acme.llm_call');
    expect(subjectWithin(ns, 'finops.in.acme.llm_call')).toBeUndefined();
  });

  it('the root namespace changes nothing', () => {
    expect(namespaceFor('')).toBe(ROOT_NAMESPACE);
    expect(subjectIn(ROOT_NAMESPACE, 'finops.facts.acme.llm_call')).toBe('finops.facts.acme.llm_call');
  });

  it('refuses tokens that would break subjects', () => {
    expect(() => namespaceFor('a.b')).toThrow('invalid namespace token');
  });
});
