import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { pipelineCatalog } from './catalog';
import { PIPELINE_SUBSCRIPTIONS } from './subscriptions';

const appsDir = path.resolve(__dirname, '../../../apps');

/** The event types a service's handlers name in `@EventPattern('…')`, read from its source. */
function handledTypes(service: string): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
        for (const match of readFileSync(file, 'utf8').matchAll(/@EventPattern\('([^']+)'\)/g))
          found.add(match[1]!);
    }
  };
  walk(path.join(appsDir, service, 'src'));
  return [...found].sort();
}

describe('PIPELINE_SUBSCRIPTIONS', () => {
  it("lists exactly the event types each service's handlers consume", () => {
    const consuming = readdirSync(appsDir).filter(
      (app) => readdirSync(path.join(appsDir, app)).includes('src') && handledTypes(app).length > 0,
    );
    expect(Object.keys(PIPELINE_SUBSCRIPTIONS).sort()).toEqual(consuming.sort());
    for (const service of consuming)
      expect([...PIPELINE_SUBSCRIPTIONS[service]!].sort()).toEqual(handledTypes(service));
  });

  it('names only declared event types', () => {
    for (const type of Object.values(PIPELINE_SUBSCRIPTIONS).flat())
      expect(pipelineCatalog.find(type)).toBeDefined();
  });
});
