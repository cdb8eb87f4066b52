import { Fleet, IDLE_SEAT_DAYS_AGO, subjectFor } from './fleet.js';

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

  it('registers its agents with their owners, SaaS ones with their vendor, and leaves the shadow agent unregistered', () => {
    const registered = new Fleet({ seed: 1, epoch: EPOCH }).registrations(EPOCH);
    expect(registered.map((event) => [event.type, event.data.agentId, event.data.platform, event.data.lifecycle])).toEqual([
      ['agent.registered', 'support-assistant', 'internal', 'production'],
      ['agent.registered', 'lead-qualifier', 'internal', 'production'],
      ['agent.registered', 'contract-summarizer', 'internal', 'experiment'],
      ['agent.registered', 'zendesk-ai', 'saas', 'production'],
      ['agent.registered', 'it-helpdesk', 'internal', 'staging'],
      ['agent.registered', 'legacy-triage', 'internal', 'retired'],
      ['agent.registered', 'forecast-seat', 'saas', 'production'],
    ]);
    expect(registered.every((event) => typeof event.data.owner === 'string' && event.data.owner !== '')).toBe(true);
    expect(registered.filter((event) => event.data.platform === 'saas').map((event) => event.data.vendor)).toEqual(['zendesk', 'anaplan']);
    expect(registered.map((event) => event.time)).toEqual(registered.map(() => new Date(EPOCH).toISOString()));
  });

  it('is a governance scenario: an unregistered agent, an idle seat, a retired agent still running, two teams on one workflow', () => {
    const fleet = new Fleet({ seed: 4, epoch: EPOCH });
    const registered = new Set(fleet.registrations(EPOCH).map((event) => event.data.agentId));
    const history = fleet.history(EPOCH);
    const events = Array.from({ length: 300 }, (_, i) => fleet.nextRun(EPOCH + i * 60_000)).flat();
    const agentsOf = (predicate: (data: Record<string, unknown>) => boolean) => [...new Set(events.filter((event) => predicate(event.data)).map((event) => event.data.agentId))].sort();

    // Seen in traffic, never registered.
    expect(agentsOf((data) => !registered.has(data.agentId as string))).toEqual(['shadow-copywriter']);
    // The idle seat: billed once, more than 7 days before the start, never after.
    expect(history).toEqual([expect.objectContaining({ type: 'saas.usage', time: new Date(EPOCH - IDLE_SEAT_DAYS_AGO * 86_400_000).toISOString(), data: expect.objectContaining({ agentId: 'forecast-seat', cost: '270.00' }) })]);
    expect(IDLE_SEAT_DAYS_AGO).toBeGreaterThan(7);
    expect(agentsOf((data) => data.agentId === 'forecast-seat')).toEqual([]);
    // Retired at the start, still calling models after it.
    expect(events.some((event) => event.data.agentId === 'legacy-triage' && event.type === 'llm.call' && Date.parse(event.time) > EPOCH)).toBe(true);
    // Support and IT both automate resolve-ticket.
    const resolvers = [...new Set(events.filter((event) => event.data.workflow === 'resolve-ticket').map((event) => `${String(event.data.agentId)}/${String(event.data.team)}`))].sort();
    expect(resolvers).toEqual(['it-helpdesk/it', 'support-assistant/support']);
    // The SaaS agent reports usage with its vendor.
    expect(events.some((event) => event.type === 'saas.usage' && event.data.agentId === 'zendesk-ai' && event.data.vendor === 'zendesk')).toBe(true);
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
