import { Fleet, subjectFor } from './fleet.js';

const EPOCH = Date.parse('2026-11-27T09:00:00Z');
const runs = (seed: number, count: number) => {
  const fleet = new Fleet({ seed, epoch: EPOCH });
  return Array.from({ length: count }, (_, i) => fleet.nextRun(EPOCH + i * 60_000)).flat();
};

describe('the simulated fleet', () => {
  it('is the same for the same seed and different for another', () => {
    expect(runs(7, 50)).toEqual(runs(7, 50));
    expect(JSON.stringify(runs(8, 50))).not.toBe(JSON.stringify(runs(7, 50)));
  });

  it('registers its four agents, one of them a SaaS agent', () => {
    const registered = new Fleet({ seed: 1, epoch: EPOCH }).registrations(EPOCH);
    expect(registered.map((event) => [event.type, event.data.agentId, event.data.platform])).toEqual([
      ['agent.registered', 'support-assistant', 'internal'],
      ['agent.registered', 'lead-qualifier', 'internal'],
      ['agent.registered', 'contract-summarizer', 'internal'],
      ['agent.registered', 'zendesk-ai', 'saas'],
    ]);
  });

  it('tells retries, escalations, failures without outcomes and SaaS usage', () => {
    const events = runs(3, 400);
    const data = (type: string) => events.filter((event) => event.type === type).map((event) => event.data);
    const calls = data('llm.call');
    expect(calls.some((call) => (call.attempt as number) > 1 && typeof call.retryOf === 'string')).toBe(true);
    expect(calls.some((call) => call.escalatedFrom === 'gpt-4o-mini')).toBe(true);
    expect(data('tool.call').some((call) => call.tool === 'help-center-search')).toBe(true);
    expect(data('saas.usage').length).toBeGreaterThan(0);
    expect(data('outcome.recorded').some((outcome) => outcome.agentId === 'contract-summarizer')).toBe(false);
    expect(data('run.finished').some((run) => run.agentId === 'contract-summarizer' && run.status === 'failed')).toBe(true);
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
  });

  it('gives every step of a run its trace and parent, and only real spans as parents', () => {
    const events = runs(5, 100).filter((event) => event.data.traceId);
    const spans = new Set(events.map((event) => event.data.spanId).filter(Boolean));
    for (const event of events) {
      if (event.data.parentSpanId) expect(spans.has(event.data.parentSpanId)).toBe(true);
      if (event.data.retryOf) expect(spans.has(event.data.retryOf)).toBe(true);
    }
  });

  it('publishes on finops.in.<tenant>.<type>', () => {
    expect(subjectFor('', 'dev', 'llm.call')).toBe('finops.in.dev.llm_call');
    expect(subjectFor('t1.', 'dev', 'agent.registered')).toBe('finops.in.dev.agent_registered'.replace(/^/, 't1.'));
  });
});
