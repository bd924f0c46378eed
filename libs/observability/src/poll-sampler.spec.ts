import { context, SpanKind } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';

import { NoPollTracesSampler } from './poll-sampler';

describe('which spans may start a trace', () => {
  const sampler = new NoPollTracesSampler();
  const decide = (kind: SpanKind, attributes: Record<string, string> = {}) =>
    sampler.shouldSample(context.active(), 'trace', 'name', kind, attributes).decision;

  it('a checkout, a callback, an operator action, an event handled: traced', () => {
    expect(decide(SpanKind.SERVER, { 'http.request.method': 'POST' })).toBe(
      SamplingDecision.RECORD_AND_SAMPLED,
    );
    expect(decide(SpanKind.SERVER, { 'http.method': 'PUT' })).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(SpanKind.CONSUMER)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(SpanKind.INTERNAL)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('a read request or an outgoing call with no trace of its own (a poll): not traced', () => {
    expect(decide(SpanKind.SERVER, { 'http.request.method': 'GET' })).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(SpanKind.SERVER, { 'http.method': 'HEAD' })).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(SpanKind.CLIENT, { 'http.request.method': 'POST' })).toBe(SamplingDecision.NOT_RECORD);
  });
});
