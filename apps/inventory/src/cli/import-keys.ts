/**
 * Imports a (large) file of card keys into a pool SKU, straight through the import use case:
 *
 *   node -r @swc-node/register apps/inventory/src/cli/import-keys.ts --sku STEAM-50 --file keys.txt
 *     [--csv] [--chunk-size 5000] [--label "supplier invoice 42"]
 *
 * The file is split into batches of --chunk-size keys; each batch is its own transaction (all or
 * nothing) with its own data key. Needs DATABASE_URL, INVENTORY_MASTER_KEYS(_FILE) and
 * INVENTORY_FINGERPRINT_KEY(_FILE), as the service does. Prints counts and duplicate line numbers,
 * never keys. Exit code: 0 done, 1 failed (batches before the failing one stay imported), 64 bad usage.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

import { Presets, SingleBar } from 'cli-progress';

import { type ImportReport } from '../stock/application/import-keys/import-keys.handler';
import { keyFileFormat, parseKeyFile } from '../stock/application/import-keys/key-file-parser';
import { openCliContext } from './cli-context';

const out = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      sku: { type: 'string' },
      file: { type: 'string' },
      csv: { type: 'boolean', default: false },
      'chunk-size': { type: 'string', default: '5000' },
      label: { type: 'string' },
    },
  });
  const chunkSize = Number(values['chunk-size']);
  if (!values.sku || !values.file || !Number.isInteger(chunkSize) || chunkSize < 1) {
    process.stderr.write(
      'usage: import-keys --sku SKU --file PATH [--csv] [--chunk-size N] [--label TEXT]\n',
    );
    return 64;
  }
  const format = values.csv ? 'csv' : keyFileFormat(values.file);
  const keys = await parseKeyFile(readFileSync(values.file, 'utf8'), format);
  const context = await openCliContext();
  const bar = new SingleBar(
    {
      format: 'importing {bar} {percentage}% | {value}/{total} keys | {duplicates} duplicates',
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  const reports: ImportReport[] = [];
  bar.start(keys.length, 0, { duplicates: 0 });
  try {
    for (let start = 0; start < keys.length; start += chunkSize) {
      const chunk = keys.slice(start, start + chunkSize);
      const report = await context.dataSource.transaction((manager) =>
        context.importer.import(manager, {
          sku: values.sku!,
          keys: chunk,
          origin: 'cli',
          label: values.label ?? basename(values.file!),
          onProgress: (written) => bar.update(start + written),
        }),
      );
      reports.push(report);
      bar.update(start + chunk.length, { duplicates: duplicatesOf(reports) });
    }
  } finally {
    bar.stop();
    await context.close();
  }
  summarize(reports);
  return 0;
}

function duplicatesOf(reports: ImportReport[]): number {
  return reports.reduce((sum, r) => sum + r.duplicatesInBatch.count + r.duplicatesInPool.count, 0);
}

function summarize(reports: ImportReport[]): void {
  const sum = (pick: (r: ImportReport) => number) => reports.reduce((total, r) => total + pick(r), 0);
  out(`batches: ${reports.map((r) => r.batchId).join(', ')}`);
  out(`received ${sum((r) => r.received)}, imported ${sum((r) => r.imported)}`);
  const inBatch = reports.flatMap((r) => r.duplicatesInBatch.lines);
  const inPool = reports.flatMap((r) => r.duplicatesInPool.lines);
  out(`duplicates within a batch: ${sum((r) => r.duplicatesInBatch.count)}${lines(inBatch)}`);
  out(`already in the pool: ${sum((r) => r.duplicatesInPool.count)}${lines(inPool)}`);
  out(`JSON ${JSON.stringify({ batches: reports })}`);
}

function lines(numbers: number[]): string {
  return numbers.length === 0
    ? ''
    : ` (lines ${numbers.slice(0, 20).join(', ')}${numbers.length > 20 ? ', …' : ''})`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Typed errors carry a code and never key material; print the message only, not the stack's locals.
    process.stderr.write(`import failed: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
