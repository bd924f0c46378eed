import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

/**
 * Where a load run's services send their spans (Zipkin's v2 API, OTEL_EXPORTER_ZIPKIN_ENDPOINT): counts them,
 * so a run can report spans per order — what an order costs the trace UI's memory — and, given a real Zipkin
 * (`forwardTo`), passes every batch on to it, so the trace UI's survival is tried with the run's real traffic.
 * Counts without parsing (one `"traceId":` key per span in Zipkin's JSON; inside a string the quote is escaped): the load generator's CPU is for the load.
 */
export class SpanCounter {
  spans = 0;
  forwardFailures = 0;
  private server?: Server;

  constructor(private readonly forwardTo?: string) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks);
        this.spans += countOccurrences(body.toString('utf8'), '"traceId":');
        response.writeHead(202).end();
        if (this.forwardTo) {
          fetch(`${this.forwardTo}/api/v2/spans`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
            signal: AbortSignal.timeout(10_000),
          })
            .then((answer) => {
              if (!answer.ok) this.forwardFailures += 1;
            })
            .catch(() => (this.forwardFailures += 1));
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/api/v2/spans`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

export function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count += 1;
  return count;
}

/** Whether a Zipkin still answers its API (the UI's own query), and how long it took. */
export async function zipkinAnswers(zipkinUrl: string): Promise<{ answering: boolean; ms: number }> {
  const started = Date.now();
  try {
    const response = await fetch(`${zipkinUrl}/api/v2/traces?serviceName=orders&limit=10`, {
      signal: AbortSignal.timeout(10_000),
    });
    return { answering: response.ok, ms: Date.now() - started };
  } catch {
    return { answering: false, ms: Date.now() - started };
  }
}
