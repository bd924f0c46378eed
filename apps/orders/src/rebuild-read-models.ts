// Rebuilds orders' read models from its event store: `node apps/orders/dist/rebuild-read-models.js`.
import { pipelineCatalog } from '@keyflow/contracts';
import { EventStore } from '@keyflow/messaging';
import { dataSourceOptions, prepareDataSource } from '@keyflow/service-kit';

import { OrderReadModels1732400000000 } from './order/infrastructure/migrations/1732400000000-order-read-models';
import { SlaWatch1732500000000 } from './order/infrastructure/migrations/1732500000000-sla-watch';
import { ParkedFacts1732600000000 } from './order/infrastructure/migrations/1732600000000-parked-facts';
import { rebuildOrderViews } from './order/infrastructure/order-view.rebuilder';
import { ordersConfig } from './orders.config';

async function main(): Promise<void> {
  const config = ordersConfig();
  const dataSource = await prepareDataSource(
    dataSourceOptions(config, {
      migrations: [OrderReadModels1732400000000, SlaWatch1732500000000, ParkedFacts1732600000000],
    }),
  );
  try {
    const rebuilt = await rebuildOrderViews(
      dataSource,
      new EventStore(config.schema, config.service, pipelineCatalog),
    );
    process.stdout.write(`rebuilt the views of ${rebuilt} orders\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`rebuild failed: ${error.message}\n`);
  process.exit(1);
});
