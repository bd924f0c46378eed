import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Parser } from '@asyncapi/parser';

import { buildAsyncApiDocument } from './asyncapi';
import { pipelineCatalog } from './index';
import { PIPELINE_SUBSCRIPTIONS } from './subscriptions';

const committedText = readFileSync(path.resolve(__dirname, '../../../docs/asyncapi.json'), 'utf8');

/** Every `$ref` left in a (dereferenced) document: there should be none. */
function unresolvedRefs(node: unknown, at = '#', found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((item, i) => unresolvedRefs(item, `${at}/${i}`, found));
  else if (node && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref') found.push(`${at}: ${String(value)}`);
      else unresolvedRefs(value, `${at}/${key}`, found);
    }
  return found;
}

describe('AsyncAPI document', () => {
  const document = buildAsyncApiDocument(pipelineCatalog, PIPELINE_SUBSCRIPTIONS) as any;

  it('describes every event type on its topic, with its payload schema', () => {
    for (const definition of pipelineCatalog.definitions()) {
      expect(document.channels[definition.topic].messages[definition.type]).toBeDefined();
      expect(document.components.schemas[definition.payload.name]).toMatchObject({ type: 'object' });
    }
    expect(document.components.schemas.OrderPlacedV1.required).toEqual(
      expect.arrayContaining(['orderId', 'total']),
    );
  });

  it('has a receive operation for every consumed event and a DLQ channel for every consumer group', () => {
    for (const [service, types] of Object.entries(PIPELINE_SUBSCRIPTIONS))
      for (const type of types) {
        const topic = pipelineCatalog.topicOf(type);
        expect(document.operations[`receive ${topic}`].messages).toContainEqual({
          $ref: `#/channels/${topic}/messages/${type}`,
        });
        expect(document.channels[`${service}.${topic}.dlq`].messages.DeadLetter).toBeDefined();
      }
  });

  it('is what docs/asyncapi.json says (run `npm run asyncapi` after changing a contract)', () => {
    expect(JSON.parse(committedText)).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it('docs/asyncapi.json parses with @asyncapi/parser without a single diagnostic, every schema resolved', async () => {
    const { document: parsed, diagnostics } = await new Parser().parse(committedText);
    expect(diagnostics.map((d) => `${d.code} at ${d.path.join('/')}: ${d.message}`)).toEqual([]);
    expect(parsed).toBeDefined();
    expect(unresolvedRefs(parsed!.json())).toEqual([]);

    // The nested arrays the old document pointed at an invalid `#/components/schemas/Array`.
    const succeeded = parsed!
      .messages()
      .all()
      .find((m) => m.id() === 'delivery.succeeded.v1')!;
    const data = succeeded.payload()!.allOf()![1]!.properties()!.data!;
    const key = data.properties()!.keys!.items() as { properties(): Record<string, unknown> };
    expect(Object.keys(key.properties())).toEqual(expect.arrayContaining(['sealed']));
    expect(succeeded.bindings().get('kafka')!.value().key).toMatchObject({ format: 'uuid' });
  });
});
