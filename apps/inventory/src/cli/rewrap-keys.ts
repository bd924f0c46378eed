/**
 * Master key rotation, step two (after listing the new key first in INVENTORY_MASTER_KEYS and keeping the
 * old one): re-wraps every batch's data key under the current master key.
 *
 *   node -r @swc-node/register apps/inventory/src/cli/rewrap-keys.ts
 *
 * Prints the count per master key id afterwards; once every batch is under the new key, the old one can
 * be removed from configuration. Also available as POST /v1/admin/key-batches/rewrap.
 */
import { openCliContext } from './cli-context';

async function main(): Promise<void> {
  const context = await openCliContext();
  try {
    const report = await context.rewrap.rewrapAll();
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await context.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`re-wrap failed: ${(error as Error).message}\n`);
  process.exit(1);
});
