import { parseAlertMessage } from './alert-event.js';

const alert = {
  id: 'a1',
  kind: 'BUDGET_EXCEEDED',
  budgetId: 'budget-1',
  threshold: 100,
  agentId: null,
  spent: '16.000000000000000000001',
  limit: '16',
  periodStart: '2026-12-01T18:15:00.000Z',
  message: 'Budget budget-1 (the tenant, day) is exceeded',
  at: '2026-12-02T10:00:00.000Z',
};
const event = (data: unknown, type = 'alert.raised') => JSON.stringify({ specversion: '1.0', id: 'a1', source: 'agentledger://budgeting', type, data });

describe('parseAlertMessage', () => {
  it('reads an alert.raised CloudEvent, money and times exactly as written', () => {
    expect(parseAlertMessage(event(alert))).toEqual({ alert });
  });

  it('takes a left-out nullable field as null', () => {
    const { budgetId: _b, threshold: _t, spent: _s, limit: _l, periodStart: _p, agentId: _a, ...anomaly } = alert;
    expect(parseAlertMessage(event({ ...anomaly, kind: 'SPEND_ANOMALY' }))).toEqual({
      alert: { ...anomaly, kind: 'SPEND_ANOMALY', budgetId: null, threshold: null, agentId: null, spent: null, limit: null, periodStart: null },
    });
  });

  it('says what is wrong with a broken message', () => {
    expect(parseAlertMessage('{')).toEqual({ malformed: 'not JSON' });
    expect(parseAlertMessage('[1]')).toEqual({ malformed: 'not a CloudEvent object' });
    expect(parseAlertMessage(JSON.stringify({ data: alert }))).toEqual({ malformed: 'type: must be a string' });
    expect(parseAlertMessage(event('text'))).toEqual({ malformed: 'data: must be an object' });
    expect(parseAlertMessage(event({ ...alert, spent: 16, threshold: 99.5, at: '2026-02-30T00:00:00Z', id: '' }))).toEqual({
      malformed: 'data: id, threshold, spent, at missing or of the wrong type',
    });
    const { message: _m, ...noMessage } = alert;
    expect(parseAlertMessage(event(noMessage))).toEqual({ malformed: 'data: message missing or of the wrong type' });
  });

  it('tells another event type apart from a broken alert', () => {
    expect(parseAlertMessage(event({ id: 'r1' }, 'alert.resolved'))).toEqual({ otherType: 'alert.resolved' });
  });
});
