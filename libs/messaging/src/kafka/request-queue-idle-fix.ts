import { createRequire } from 'node:module';

/** The kafkajs release whose RequestQueue this replaces one method of (the last one; kafkajs is unmaintained). */
export const PATCHED_KAFKAJS_VERSION = '2.2.4';

/** kafkajs' own delay for re-checking requests queued behind maxInFlightRequests (its constant, 10 ms). */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

/**
 * How often a connection looks for requests past their timeout (kafkajs: every 100 ms). Request timeouts are
 * 30 s and more (a fetch's is its long-poll wait plus that), so a second late is nothing; ten wake-ups a second
 * per connection, idle or not, were (a consumer holds three connections, a service up to twenty).
 */
export const REQUEST_TIMEOUT_CHECK_MS = 1000;

/** The fields of kafkajs' RequestQueue (src/network/requestQueue/index.js) the replacements read and set. */
interface RequestQueueInternals {
  pending: unknown[];
  inflight: Map<number, { sentAt: number; requestTimeout: number; timeoutRequest(): void }>;
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  requestTimeout: number;
  enforceRequestTimeout: boolean;
  requestTimeoutIntervalId?: NodeJS.Timeout;
  isConnected(): boolean;
  destroy(): void;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
  scheduleRequestTimeoutCheck(): void;
}

const load = createRequire(__filename);
let applied = false;

/**
 * kafkajs 2.2.4 keeps every broker connection busy while it is idle, twice over. First, after each response
 * `checkPendingRequests` calls `scheduleCheckPendingRequests`, which (not throttled, nothing pending) arms a
 * `setTimeout` with a negative delay — 1 ms — whose callback schedules the next one, forever
 * (tulios/kafkajs#1556, #1704, #1751; the fixes, e.g. #1667, were never released). Each process then woke
 * about a thousand times a second for nothing: most of an idle service's 3.5–5 % of a core. Second, each
 * connection checks its requests for timeouts ten times a second (see REQUEST_TIMEOUT_CHECK_MS).
 *
 * The first replacement arms a timer only when a request is waiting: for the end of a broker-requested throttle,
 * or (queued behind maxInFlightRequests) kafkajs' own 10 ms re-check, as before. With nothing pending there
 * is nothing to check: `push` schedules again the moment it queues a request, and a fulfilled or timed-out
 * request calls `checkPendingRequests` itself. The second is kafkajs' own check, once a second. Applied once, to that exact release only (another
 * release's internals may differ; the spec beside this file fails when the version changes).
 */
export function applyRequestQueueIdleFix(): boolean {
  if (applied) return true;
  const version = (load('kafkajs/package.json') as { version: string }).version;
  if (version !== PATCHED_KAFKAJS_VERSION) return false;
  const RequestQueue = load('kafkajs/src/network/requestQueue') as { prototype: RequestQueueInternals };
  RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(
    this: RequestQueueInternals,
  ): void {
    if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
    const throttledForMs = this.throttledUntil - Date.now();
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      throttledForMs > 0 ? throttledForMs : CHECK_PENDING_REQUESTS_INTERVAL_MS,
    );
  };
  // kafkajs' own body, with the interval REQUEST_TIMEOUT_CHECK_MS instead of 100 ms.
  RequestQueue.prototype.scheduleRequestTimeoutCheck = function scheduleRequestTimeoutCheck(
    this: RequestQueueInternals,
  ): void {
    if (!this.enforceRequestTimeout) return;
    this.destroy();
    this.requestTimeoutIntervalId = setInterval(
      () => {
        this.inflight.forEach((request) => {
          if (Date.now() - request.sentAt > request.requestTimeout) request.timeoutRequest();
        });
        if (!this.isConnected()) this.destroy();
      },
      Math.min(this.requestTimeout, REQUEST_TIMEOUT_CHECK_MS),
    );
  };
  applied = true;
  return true;
}
