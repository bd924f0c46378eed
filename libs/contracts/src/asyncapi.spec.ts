import { readFileSync } from 'node:fs';
import path from 'node:path';

import { buildAsyncApiDocument } from './asyncapi';
import { pipelineCatalog } from './index';

describe('AsyncAPI document', () => {
  const document = buildAsyncApiDocument(pipelineCatalog) as any;

  it('describes every event type on its topic, with its payload schema', () => {
    for (const definition of pipelineCatalog.definitions()) {
      expect(document.channels[definition.topic].messages[definition.type]).toBeDefined();
      expect(document.components.schemas[definition.payload.name]).toMatchObject({ type: 'object' });
    }
    expect(document.components.schemas.OrderPlacedV1.required).toEqual(
      expect.arrayContaining(['orderId', 'total']),
    );
  });

  it('is what docs/asyncapi.json says (run `npm run asyncapi` after changing a contract)', () => {
    const committed = JSON.parse(
      readFileSync(path.resolve(__dirname, '../../../docs/asyncapi.json'), 'utf8'),
    );
    expect(committed).toEqual(JSON.parse(JSON.stringify(document)));
  });
});
