import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { factFromCloudEvent } from '../intake/cloud-event.js';
import { attributesOf, cloudEventOfSpan } from './genai-spans.js';
import { readExportRequest } from './otlp-request.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../test/fixtures/otlp/${name}`, import.meta.url)));
const arrival = { tenant: 'acme', receivedAt: new Date('2026-11-27T09:30:00Z'), channel: 'otlp' as const };
/** The canonical fact without what differs by arrival path only (channel) or is a dialect's extra (operation). */
const canonical = (event: unknown) => {
  const fact = factFromCloudEvent(event, arrival);
  if (fact.payload.case === 'llmCall') fact.payload.value.operation = '';
  return fact;
};

function eventsOf(body: Uint8Array, contentType: string) {
  const request = readExportRequest(body, contentType);
  return request.resourceSpans.flatMap((resourceSpans) =>
    resourceSpans.scopeSpans.flatMap((scope) => scope.spans.map((span) => cloudEventOfSpan(span, attributesOf(resourceSpans.resource?.attributes ?? [])))),
  );
}

describe('OTLP GenAI spans → canonical events', () => {
  const equivalentLlm = JSON.parse(fixture('equivalent-llm-call.json').toString());
  const equivalentTool = JSON.parse(fixture('equivalent-tool-call.json').toString());

  it.each(['otel-genai', 'openinference', 'openllmetry'].flatMap((dialect) => [[dialect, 'json'] as const, [dialect, 'pb'] as const]))(
    '%s (%s) yields the same canonical llm.call and tool.call as the equivalent CloudEvents, and skips the HTTP span',
    (dialect, format) => {
      const [llm, tool, http] = eventsOf(fixture(`${dialect}.${format}`), format === 'pb' ? 'application/x-protobuf' : 'application/json');
      expect(canonical(llm)).toEqual(canonical(equivalentLlm));
      expect(canonical(tool)).toEqual(canonical(equivalentTool));
      expect(http).toBeUndefined();
    },
  );

  it('keeps trace, span and parent ids as hex and maps evaluation spans and reported costs', () => {
    const [llm] = eventsOf(fixture('otel-genai.json'), 'application/json') as Array<{ data: Record<string, unknown> }>;
    expect(llm!.data).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', parentSpanId: '00f067aa0ba902b6' });
    const request = JSON.parse(fixture('openinference.json').toString());
    request.resourceSpans[0].scopeSpans[0].spans[0].attributes.push({ key: 'llm.cost.total', value: { doubleValue: 0.00042 } });
    request.resourceSpans[0].scopeSpans[0].spans[2].attributes = [
      { key: 'gen_ai.evaluation.name', value: { stringValue: 'helpfulness' } },
      { key: 'gen_ai.evaluation.score.value', value: { doubleValue: 0.82 } },
    ];
    const [costed, , evaluation] = eventsOf(new TextEncoder().encode(JSON.stringify(request)), 'application/json');
    expect(factFromCloudEvent(costed, arrival).payload).toMatchObject({ case: 'llmCall', value: { reportedCost: '0.00042' } });
    expect(factFromCloudEvent(evaluation, arrival).payload).toMatchObject({ case: 'evaluationScored', value: { evaluator: 'support-bot', metric: 'helpfulness', score: 0.82 } });
  });
});
