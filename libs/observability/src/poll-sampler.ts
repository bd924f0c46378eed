import { type Attributes, type Context, SpanKind } from '@opentelemetry/api';
import {
  ParentBasedSampler,
  type Sampler,
  SamplingDecision,
  type SamplingResult,
} from '@opentelemetry/sdk-trace-base';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Which spans may start a trace. A trace is for work that changes something — a checkout, a provider
 * callback, an operator's action, an event handled — and every span under it follows its root (parent-based).
 * Polls start none: a read request with no trace of its own (the console's live figures every 5 s, a load
 * run's progress line, a buyer's status page) and an outgoing call made outside any trace (a worker's or
 * timer's poll). They would fill the trace UI's memory with thousands of one-span traces no one opens.
 */
export class NoPollTracesSampler implements Sampler {
  shouldSample(
    _context: Context,
    _traceId: string,
    _name: string,
    kind: SpanKind,
    attributes: Attributes,
  ): SamplingResult {
    return {
      decision: isPoll(kind, attributes) ? SamplingDecision.NOT_RECORD : SamplingDecision.RECORD_AND_SAMPLED,
    };
  }

  toString(): string {
    return 'NoPollTracesSampler';
  }
}

/** A root span is a poll when it is a read request served, or a call made with no trace to belong to. */
export function isPoll(kind: SpanKind, attributes: Attributes): boolean {
  if (kind === SpanKind.CLIENT) return true;
  if (kind !== SpanKind.SERVER) return false;
  const method = attributes['http.request.method'] ?? attributes['http.method'];
  return typeof method === 'string' && READS.has(method.toUpperCase());
}

/** Children follow their parent's decision; only roots are judged, by {@link NoPollTracesSampler}. */
export function orderTraceSampler(): Sampler {
  return new ParentBasedSampler({ root: new NoPollTracesSampler() });
}
