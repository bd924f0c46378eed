import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

import { OrderSpanProcessor, STAGE_OF_SERVICE } from './order-spans';
import { orderTraceSampler } from './poll-sampler';

export interface TracingOptions {
  /** Extra processors, e.g. an in-memory exporter in tests. */
  spanProcessors?: SpanProcessor[];
  env?: NodeJS.ProcessEnv;
}

let sdk: NodeSDK | undefined;

/**
 * Chooses where spans go from the standard OpenTelemetry variables: OTLP/HTTP (Jaeger, the collector)
 * when OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set, Zipkin when
 * OTEL_EXPORTER_ZIPKIN_ENDPOINT is set (the local trace UI without docker). Without either, spans are
 * still created so trace context flows through Kafka, but nothing is exported.
 */
export function spanProcessorsFromEnv(env: NodeJS.ProcessEnv): SpanProcessor[] {
  const processors: SpanProcessor[] = [];
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
  }
  if (env.OTEL_EXPORTER_ZIPKIN_ENDPOINT) {
    processors.push(new BatchSpanProcessor(new ZipkinExporter({ url: env.OTEL_EXPORTER_ZIPKIN_ENDPOINT })));
  }
  return processors;
}

/**
 * OTEL_SDK_DISABLED=true, the standard switch, turns tracing off entirely: no SDK, no instrumentation, no
 * spans, no context propagation (the benchmark's `--no-tracing` measures what tracing costs this way).
 */
export function tracingDisabled(env: NodeJS.ProcessEnv): boolean {
  return env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';
}

/**
 * Starts the OpenTelemetry SDK for one service. Call it before anything else is loaded (the service's
 * `instrumentation.ts` is its first import) so http and pg are patched before they are required.
 * Returns undefined when tracing is switched off ({@link tracingDisabled}).
 */
export function startTracing(serviceName: string, options: TracingOptions = {}): NodeSDK | undefined {
  if (sdk) return sdk;
  const env = options.env ?? process.env;
  // Checked here too (NodeSDK reads process.env only), so `options.env` can switch it off as well.
  if (tracingDisabled(env) || tracingDisabled(process.env)) return undefined;
  if (env.OTEL_LOG_LEVEL === 'debug') diag.setLogger(consoleDiagLogger(), DiagLogLevel.DEBUG);
  sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? serviceName,
      [ATTR_SERVICE_VERSION]: env.KEYFLOW_VERSION ?? '0.1.0',
      'service.namespace': 'keyflow',
    }),
    // Polls start no trace (see NoPollTracesSampler); OTEL_TRACES_SAMPLER, the standard switch, overrides it.
    ...(env.OTEL_TRACES_SAMPLER ? {} : { sampler: orderTraceSampler() }),
    // The order processor first: it puts order.id on spans before the exporters see them.
    spanProcessors: [
      new OrderSpanProcessor(STAGE_OF_SERVICE[serviceName]),
      ...processorsOrNoop([...spanProcessorsFromEnv(env), ...(options.spanProcessors ?? [])]),
    ],
    // Metrics are served on /metrics (prom-client) and logs go to stdout. Left to its defaults, the SDK would
    // also push OTel metrics and logs over OTLP to localhost every minute, retrying against a collector that
    // is usually not there: idle CPU for nothing. Setting OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER opts in.
    ...(env.OTEL_METRICS_EXPORTER ? {} : { metricReaders: [] }),
    ...(env.OTEL_LOGS_EXPORTER ? {} : { logRecordProcessors: [] }),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => /^\/(health|metrics)/.test(request.url ?? ''),
      }),
      // enhancedDatabaseReporting stays off: it would copy query parameters (card keys) into spans.
      // ignoreConnectSpans: a pool checkout per transaction is not where an order waits, and at peak the
      // connect spans doubled the Postgres spans each service made (a span costs CPU and exporter memory).
      new PgInstrumentation({
        enhancedDatabaseReporting: false,
        requireParentSpan: true,
        ignoreConnectSpans: true,
      }),
      new NestInstrumentation(),
    ],
  });
  sdk.start();
  return sdk;
}

/**
 * The SDK registers a tracer provider only when it has a span processor. Without one, spans would be
 * non-recording no-ops with no trace ids, and trace context would stop at the first hop; a no-op
 * processor keeps real, propagated spans that are simply not exported.
 */
function processorsOrNoop(processors: SpanProcessor[]): SpanProcessor[] {
  return processors.length > 0 ? processors : [new NoopSpanProcessor()];
}

/** Flushes and stops the exporter; part of graceful shutdown. */
export async function shutdownTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown();
}

function consoleDiagLogger(): DiagLogger {
  const write = (level: string) => (message: string) => process.stderr.write(`otel ${level}: ${message}\n`);
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    verbose: write('verbose'),
  };
}
