import { trace } from '@opentelemetry/api';

import { startTracing, tracingDisabled } from './tracing';

describe('tracing switch', () => {
  it('reads OTEL_SDK_DISABLED as the standard switch: only "true" (any case) turns tracing off', () => {
    expect(tracingDisabled({ OTEL_SDK_DISABLED: 'true' })).toBe(true);
    expect(tracingDisabled({ OTEL_SDK_DISABLED: ' TRUE ' })).toBe(true);
    expect(tracingDisabled({ OTEL_SDK_DISABLED: 'false' })).toBe(false);
    expect(tracingDisabled({})).toBe(false);
  });

  it('given tracing switched off, then no SDK starts and spans are non-recording no-ops', () => {
    expect(startTracing('spec', { env: { OTEL_SDK_DISABLED: 'true' } })).toBeUndefined();
    const span = trace.getTracer('spec').startSpan('nothing');
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext().traceId).toBe('00000000000000000000000000000000');
    span.end();
  });
});
