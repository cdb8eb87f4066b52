import { spanTreeOrder, type SpanView } from './span-tree';

const span = (spanId: string, parentSpanId: string | null): SpanView => ({ spanId, parentSpanId, kind: 'llm', name: spanId, cost: '0', totalCost: '0', attempt: 1, status: 'ok', model: null, tool: null, latencyMs: null, escalatedFrom: null });

describe('a run’s spans in tree order', () => {
  it('puts each parent before its children, keeping the order given, and orphans at the root', () => {
    const order = spanTreeOrder([span('A1', 'A0'), span('A0', null), span('A2', 'A0'), span('A21', 'A2'), span('X1', 'missing')]);
    expect(order.map((node) => [node.span.spanId, node.depth])).toEqual([
      ['A0', 0],
      ['A1', 1],
      ['A2', 1],
      ['A21', 2],
      ['X1', 0],
    ]);
  });
});
