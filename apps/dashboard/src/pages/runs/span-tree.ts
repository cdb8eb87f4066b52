export interface SpanView {
  readonly spanId: string;
  readonly parentSpanId: string | null;
  readonly kind: string;
  readonly name: string;
  readonly cost: string;
  readonly totalCost: string;
  readonly attempt: number;
  readonly status: string | null;
  readonly model: string | null;
  readonly tool: string | null;
  readonly latencyMs: number | null;
  readonly escalatedFrom: string | null;
}

export interface SpanNode {
  readonly span: SpanView;
  readonly depth: number;
}

/** The spans in tree order (each parent before its children, in the order given), with their depth. */
export function spanTreeOrder(spans: readonly SpanView[]): SpanNode[] {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string | null, SpanView[]>();
  for (const span of spans) {
    const parent = span.parentSpanId !== null && ids.has(span.parentSpanId) ? span.parentSpanId : null;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const ordered: SpanNode[] = [];
  const visit = (parent: string | null, depth: number) => {
    for (const span of children.get(parent) ?? []) {
      ordered.push({ span, depth });
      visit(span.spanId, depth + 1);
    }
  };
  visit(null, 0);
  return ordered;
}
