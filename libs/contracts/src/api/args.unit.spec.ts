import { z } from 'zod';
import { checkArgs, describeIssues } from './args.js';
import { costBreakdownQuery, costSummaryQuery, runsQuery } from './attribution.api.js';
import { defineCommand, defineQuery, returns } from './contract.js';
import { setPriceCommand } from './pricing.api.js';

const window = { from: '2026-11-27T00:00:00Z', to: '2026-11-28T00:00:00.000Z' };
const messageOf = (result: ReturnType<typeof checkArgs>) => (result.ok ? 'ok' : describeIssues(result.issues));

describe('a contract', () => {
  it('carries its kind, service and name', () => {
    const ping = defineQuery({ service: 'inventory', name: 'ping', args: z.object({}), result: returns<string>() });
    const touch = defineCommand({ service: 'pricing', name: 'touch', args: z.object({}), result: returns<boolean>() });
    expect([ping.kind, ping.service, ping.name]).toEqual(['query', 'inventory', 'ping']);
    expect([touch.kind, touch.service, touch.name]).toEqual(['command', 'pricing', 'touch']);
  });
});

describe('checkArgs', () => {
  it('passes valid arguments through parsed', () => {
    expect(checkArgs(costBreakdownQuery, { ...window, by: 'TEAM', filter: { team: 'support' } })).toEqual({
      ok: true,
      args: { ...window, by: 'TEAM', filter: { team: 'support' } },
    });
  });

  it('treats absent arguments as an empty object', () => {
    expect(messageOf(checkArgs(costSummaryQuery, undefined))).toBe('from: is required; to: is required');
  });

  it('names the field path and the rule it broke', () => {
    expect(messageOf(checkArgs(costSummaryQuery, { ...window, filter: { agentId: 7 } }))).toBe('filter.agentId: must be a string');
    expect(messageOf(checkArgs(costBreakdownQuery, { ...window, by: 'COLOUR' }))).toBe('by: must be one of AGENT, TEAM, WORKFLOW, MODEL, PROVIDER, ENVIRONMENT, TOOL');
    expect(messageOf(checkArgs(runsQuery, { ...window, first: 2.5 }))).toBe('first: must be an integer');
  });

  it('wants times as RFC 3339 strings with an offset', () => {
    expect(messageOf(checkArgs(costSummaryQuery, { from: '2026-11-27', to: window.to }))).toBe('from: must be an RFC 3339 date-time, e.g. "2026-11-27T00:00:00Z"');
    expect(messageOf(checkArgs(costSummaryQuery, { from: '2026-02-30T00:00:00Z', to: window.to }))).toBe('from: must be an RFC 3339 date-time, e.g. "2026-11-27T00:00:00Z"');
  });

  it('wants decimals as strings, never numbers', () => {
    const price = { provider: 'openai', model: 'gpt-4o', inputPer1M: '2.50', outputPer1M: '10', effectiveFrom: window.from };
    expect(messageOf(checkArgs(setPriceCommand, price))).toBe('ok');
    expect(messageOf(checkArgs(setPriceCommand, { ...price, inputPer1M: 2.5, cacheReadPer1M: '1e-3' }))).toBe(
      'inputPer1M: must be a string; cacheReadPer1M: must be a decimal string, e.g. "12.34"',
    );
  });
});
