import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';

import { SpanCounter } from './span-counter';

describe('the span counter a load run exports to', () => {
  it('counts the spans of every Zipkin batch and passes the batch on unchanged', async () => {
    const forwarded: string[] = [];
    const zipkin = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        forwarded.push(body);
        response.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => zipkin.listen(0, '127.0.0.1', resolve));
    const counter = new SpanCounter(`http://127.0.0.1:${(zipkin.address() as AddressInfo).port}`);
    const endpoint = await counter.start();
    try {
      const batch = JSON.stringify([
        { traceId: 'a', id: '1', name: 'x' },
        { traceId: 'a', id: '2', name: 'y', tags: { note: 'traceId' } },
      ]);
      for (let i = 0; i < 3; i++) {
        const answer = await fetch(endpoint, { method: 'POST', body: batch });
        expect(answer.status).toBe(202);
      }
      expect(counter.spans).toBe(6);
      const deadline = Date.now() + 5000;
      while (forwarded.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(forwarded).toEqual([batch, batch, batch]);
      expect(counter.forwardFailures).toBe(0);
    } finally {
      await counter.stop();
      await new Promise((resolve) => zipkin.close(resolve));
    }
  });
});
