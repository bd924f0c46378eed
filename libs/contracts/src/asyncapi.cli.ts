// Writes the AsyncAPI document of every topic: `npm run asyncapi` (→ docs/asyncapi.json).
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { buildAsyncApiDocument } from './asyncapi';
import { pipelineCatalog } from './index';
import { PIPELINE_SUBSCRIPTIONS } from './subscriptions';

const target = path.resolve(__dirname, '../../../docs/asyncapi.json');
const document = buildAsyncApiDocument(pipelineCatalog, PIPELINE_SUBSCRIPTIONS);
writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
