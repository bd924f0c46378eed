import { type ReceivedSpan } from '@keyflow/testing';

/** The pipeline's services in the order an order passes them (orders again at the end: it completes). */
export const STAGE_SERVICES = [
  'orders',
  'payment-callback',
  'risk-control',
  'inventory',
  'delivery',
  'notification',
  'orders',
];

/** OTLP's span kinds (one more than the API's enum). */
export const OtlpKind = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

/** The spans of one trace as a receiver got them, with the questions the trace test asks of them. */
export class OrderTrace {
  readonly spans: ReceivedSpan[];
  private readonly byId: Map<string, ReceivedSpan>;

  constructor(
    all: ReceivedSpan[],
    readonly traceId: string,
  ) {
    this.spans = all.filter((s) => s.traceId === traceId);
    this.byId = new Map(this.spans.map((s) => [s.spanId, s]));
  }

  get roots(): ReceivedSpan[] {
    return this.spans.filter((s) => !s.parentSpanId);
  }

  /** Spans whose parent is not in the trace (yet): a chain that does not lead back to the root. */
  get orphans(): ReceivedSpan[] {
    return this.spans.filter((s) => s.parentSpanId && !this.byId.has(s.parentSpanId));
  }

  /** The last hop of the happy path: orders handling notification.sent.v1 (and completing the order). */
  get completion(): ReceivedSpan | undefined {
    return this.spans.find(
      (s) =>
        s.service === 'orders' &&
        s.kind === OtlpKind.consumer &&
        s.attributes['event.type'] === 'notification.sent.v1',
    );
  }

  /** Every span the happy path makes has arrived: the completion hop, and no span waits for its parent. */
  get complete(): boolean {
    return this.completion !== undefined && this.roots.length > 0 && this.orphans.length === 0;
  }

  /** The chain of parents from the root down to `span`. */
  pathTo(span: ReceivedSpan): ReceivedSpan[] {
    const path = [span];
    for (let s = span; s.parentSpanId && this.byId.has(s.parentSpanId);) {
      s = this.byId.get(s.parentSpanId)!;
      path.unshift(s);
    }
    return path;
  }

  /** The services a path passes through, a run of spans in one service counted once. */
  static servicesAlong(path: ReceivedSpan[]): string[] {
    return path.map((s) => s.service).filter((service, i, all) => i === 0 || all[i - 1] !== service);
  }

  static describe(span: ReceivedSpan): string {
    return `${span.service}: ${span.name} (kind ${span.kind}, order.id ${String(span.attributes['order.id'])})`;
  }

  /** The trace as an indented tree, for failure messages. */
  render(): string {
    const children = new Map<string | undefined, ReceivedSpan[]>();
    for (const s of this.spans) {
      const parent = s.parentSpanId && this.byId.has(s.parentSpanId) ? s.parentSpanId : undefined;
      children.set(parent, [...(children.get(parent) ?? []), s]);
    }
    const lines: string[] = [];
    const walk = (parent: string | undefined, depth: number) => {
      for (const s of (children.get(parent) ?? []).sort((a, b) => a.startMs - b.startMs)) {
        const orphan = s.parentSpanId && !this.byId.has(s.parentSpanId) ? ' [parent missing]' : '';
        lines.push(`${'  '.repeat(depth)}${OrderTrace.describe(s)}${orphan}`);
        walk(s.spanId, depth + 1);
      }
    };
    walk(undefined, 0);
    return `trace ${this.traceId}, ${this.spans.length} spans:\n${lines.join('\n')}`;
  }
}
