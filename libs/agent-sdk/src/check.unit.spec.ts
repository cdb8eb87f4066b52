import { CheckRejected, checkBody, fallbackReply, parseCheckReply, parseReleaseReply } from './check.js';

const defaults = { agentId: 'support-bot', team: 'support', workflow: 'resolve-ticket' };
const SUBJECT = 'finops.control.check.acme';

describe('checkBody', () => {
  it('is the contract request: scope fields defaulted from the ledger, the estimate as a decimal string', () => {
    expect(checkBody(defaults, { estimatedCost: '0.045', ttlSeconds: 60 }, 'b7ad6b7169203331')).toEqual({
      agentId: 'support-bot',
      team: 'support',
      workflow: 'resolve-ticket',
      estimatedCost: '0.045',
      spanId: 'b7ad6b7169203331',
      ttlSeconds: 60,
    });
  });

  it('lets the request override a default and leaves the environment to the control plane when unset', () => {
    expect(checkBody(defaults, { estimatedCost: '0', team: 'support-eu', environment: 'staging' }, 's1')).toEqual({
      agentId: 'support-bot',
      team: 'support-eu',
      workflow: 'resolve-ticket',
      environment: 'staging',
      estimatedCost: '0',
      spanId: 's1',
    });
  });

  it('sends an estimate in tokens as provider, model and the two counts', () => {
    expect(checkBody({ agentId: 'a' }, { provider: 'openai', model: 'gpt-4o', estimatedInputTokens: 12000, estimatedOutputTokens: 800 }, 's2')).toEqual({
      agentId: 'a',
      provider: 'openai',
      model: 'gpt-4o',
      estimatedInputTokens: 12000,
      estimatedOutputTokens: 800,
      spanId: 's2',
    });
  });

  it('sends only estimatedCost when a guarded call carries provider and model beside it', () => {
    const body = checkBody({ agentId: 'a' }, { estimatedCost: '0.2', provider: 'openai', model: 'gpt-4o' } as never, 's3');
    expect(body).toEqual({ agentId: 'a', estimatedCost: '0.2', spanId: 's3' });
  });

  it.each([
    [{ estimatedCost: 0.045 }, 'estimatedCost must be a non-negative decimal string such as "0.045", not 0.045'],
    [{ estimatedCost: '-1' }, 'estimatedCost must be a non-negative decimal string'],
    [{ estimatedCost: '1e-3' }, 'estimatedCost must be a non-negative decimal string'],
    [{}, 'an estimate is required'],
    [{ provider: 'openai', model: 'gpt-4o', estimatedInputTokens: 10 }, 'estimatedOutputTokens must be a whole number of tokens'],
    [{ provider: 'openai', estimatedInputTokens: 10, estimatedOutputTokens: 1 }, 'model is required'],
    [{ estimatedCost: '1', estimatedInputTokens: 10 }, 'not both'],
    [{ estimatedCost: '1', ttlSeconds: 3601 }, 'ttlSeconds must be a whole number from 1 to 3600'],
    [{ estimatedCost: '1', ttlSeconds: 1.5 }, 'ttlSeconds must be a whole number from 1 to 3600'],
  ])('refuses %j, naming the field', (request, message) => {
    expect(() => checkBody(defaults, request as never, 's')).toThrow(message);
  });

  it('needs an agent, from the request or the ledger', () => {
    expect(() => checkBody({}, { estimatedCost: '1' }, 's')).toThrow('check: agentId is required');
  });
});

describe('parseCheckReply', () => {
  const reply = {
    decision: 'BLOCK',
    reservationId: null,
    reason: 'budget b1 has 0.01 left',
    paused: false,
    blockedBy: ['b1'],
    warnings: ['b2'],
    budgets: [{ id: 'b1', scope: 'AGENT', scopeId: 'support-bot', limit: '5', spent: '4.99', reserved: '0', remaining: '0.01', enforcement: 'BLOCK' }],
  };

  it('reads the contract reply, with the spanId it was sent with', () => {
    expect(parseCheckReply(SUBJECT, JSON.stringify(reply), 's1')).toEqual({ ...reply, spanId: 's1', unavailable: false });
  });

  it('turns an error reply into CheckRejected with its code', () => {
    const error = (() => {
      try {
        parseCheckReply(SUBJECT, JSON.stringify({ error: { code: 'BAD_REQUEST', message: 'agentId: required' } }), 's1');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(CheckRejected);
    expect(error).toMatchObject({ code: 'BAD_REQUEST', message: 'BAD_REQUEST: agentId: required' });
  });

  it('refuses what is not a check reply', () => {
    expect(() => parseCheckReply(SUBJECT, '{"decision":"MAYBE"}', 's')).toThrow('BAD_REPLY: the reply on finops.control.check.acme is not a check reply');
    expect(() => parseCheckReply(SUBJECT, 'nope', 's')).toThrow('is not JSON');
  });
});

describe('parseReleaseReply and fallbackReply', () => {
  it('reads {released}', () => {
    expect(parseReleaseReply('r', '{"released":true}')).toEqual({ released: true });
    expect(() => parseReleaseReply('r', '{"error":{"code":"BAD_REQUEST","message":"reservationId: required"}}')).toThrow('BAD_REQUEST: reservationId: required');
    expect(() => parseReleaseReply('r', '{}')).toThrow('is not a release reply');
  });

  it('answers for an unreachable control plane, saying so', () => {
    expect(fallbackReply('ALLOW', 's9')).toEqual({
      decision: 'ALLOW',
      reservationId: null,
      reason: 'control plane unavailable: allowed by onUnavailable',
      paused: false,
      blockedBy: [],
      warnings: [],
      budgets: [],
      spanId: 's9',
      unavailable: true,
    });
  });
});
