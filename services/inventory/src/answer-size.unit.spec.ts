import { QueryError } from '@agentledger/service-kit';
import { withinOneReply } from './answer-size.js';

describe('an answer within one NATS reply', () => {
  const agents = Array.from({ length: 100 }, (_, n) => ({ id: `agent-${n}`, team: 'support' }));
  const size = Buffer.byteLength(JSON.stringify(agents));

  it('passes an answer that fits, with room for the reply envelope', () => {
    expect(withinOneReply(agents, size + 1_024, () => 'too big')).toBe(agents);
    expect(withinOneReply(agents, undefined, () => 'too big')).toBe(agents);
  });

  it('refuses one that does not with a typed error saying its size', () => {
    expect(() => withinOneReply(agents, size + 1_023, (bytes) => `filter: ${bytes} bytes`)).toThrow(new QueryError('BAD_USER_INPUT', `filter: ${size} bytes`));
  });
});
