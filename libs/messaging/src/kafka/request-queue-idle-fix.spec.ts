import { createRequire } from 'node:module';

import {
  applyRequestQueueIdleFix,
  PATCHED_KAFKAJS_VERSION,
  REQUEST_TIMEOUT_CHECK_MS,
} from './request-queue-idle-fix';

const load = createRequire(__filename);

interface Queue {
  pending: unknown[];
  inflight: Map<number, unknown>;
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  requestTimeoutIntervalId?: NodeJS.Timeout & { _idleTimeout?: number };
  scheduleRequestTimeoutCheck(): void;
  push(request: unknown): void;
  fulfillRequest(response: { correlationId: number; payload: unknown; size: number }): void;
  maybeThrottle(ms: number): void;
  destroy(): void;
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function queue(maxInFlightRequests: number | null = null, requestTimeout = 30000, enforce = false): Queue {
  const RequestQueue = load('kafkajs/src/network/requestQueue') as new (options: object) => Queue;
  return new RequestQueue({
    maxInFlightRequests,
    requestTimeout,
    enforceRequestTimeout: enforce,
    clientId: 'spec',
    broker: 'spec:9092',
    logger: silent,
  });
}

/** A request as kafkajs' Connection pushes it; `sent` counts how often it went onto the socket. */
function request(correlationId: number) {
  const sent = { count: 0, rejected: undefined as Error | undefined };
  return {
    sent,
    pushed: {
      entry: {
        correlationId,
        apiName: 'Fetch',
        resolve: () => undefined,
        reject: (error: Error) => (sent.rejected = error),
      },
      expectResponse: true,
      sendRequest: () => (sent.count += 1),
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('kafkajs RequestQueue idle fix', () => {
  beforeAll(() => expect(applyRequestQueueIdleFix()).toBe(true));

  it('is made for the installed kafkajs (a new release must be checked for the bug again)', () => {
    expect((load('kafkajs/package.json') as { version: string }).version).toBe(PATCHED_KAFKAJS_VERSION);
  });

  it('arms no timer when a response leaves nothing pending (kafkajs 2.2.4 armed a 1 ms one, forever)', () => {
    const q = queue();
    const { pushed, sent } = request(1);
    q.push(pushed);
    expect(sent.count).toBe(1);
    q.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
    expect(q.throttleCheckTimeoutId).toBeNull();
    q.destroy();
  });

  it('still sends a request held back by a broker throttle once the throttle ends', async () => {
    const q = queue();
    q.maybeThrottle(50);
    const { pushed, sent } = request(2);
    q.push(pushed);
    expect(sent.count).toBe(0);
    expect(q.throttleCheckTimeoutId).not.toBeNull();
    await sleep(120);
    expect(sent.count).toBe(1);
    q.destroy();
  });

  it('still sends a request queued behind maxInFlightRequests when the one in flight is answered', () => {
    const q = queue(1);
    const first = request(3);
    const second = request(4);
    q.push(first.pushed);
    q.push(second.pushed);
    expect(second.sent.count).toBe(0);
    q.fulfillRequest({ correlationId: 3, payload: null, size: 0 });
    expect(second.sent.count).toBe(1);
    q.destroy();
  });

  it('checks for timed-out requests once a second instead of ten times, and still times them out', async () => {
    const idle = queue(null, 30000, true);
    idle.scheduleRequestTimeoutCheck();
    expect(idle.requestTimeoutIntervalId?._idleTimeout).toBe(REQUEST_TIMEOUT_CHECK_MS);
    idle.destroy();

    const q = queue(null, 40, true);
    q.scheduleRequestTimeoutCheck();
    const { pushed, sent } = request(5);
    q.push(pushed);
    await sleep(200);
    expect(sent.rejected?.name).toBe('KafkaJSRequestTimeoutError');
    q.destroy();
  });
});
