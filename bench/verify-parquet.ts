/**
 * Independent check of what ingest writes: `npx tsx bench/verify-parquet.ts [python]`.
 * Ingests every Kinesis fixture into bench/out/lake/ (a local folder standing in for the bucket),
 * then reads the Parquet back with DuckDB and pyarrow from the project's venv (bench/verify_parquet.py)
 * and compares types and values with expectations written down there. Exits non-zero on a mismatch.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { datasets } from '../shared/datasets';
import { ingestBatch } from '../shared/ingest/ingest-batch';
import { compileRegistry } from '../shared/records/registry';
import { KINESIS_FIXTURES, loadKinesisEvent } from '../test/helpers/fixtures';

const lake = new URL('./out/lake/', import.meta.url).pathname;
rmSync(lake, { recursive: true, force: true });
const registry = compileRegistry(datasets);
for (const fixture of KINESIS_FIXTURES) {
  const { batchItemFailures } = await ingestBatch(loadKinesisEvent(fixture).Records, {
    registry,
    maxRecordBytes: 4096,
    writeConcurrency: 4,
    now: () => Date.parse('2026-11-24T13:31:00Z'),
    writer: {
      async put({ key, body }) {
        // One folder per fixture: the fixtures share sequence numbers, hence object names.
        const path = `${lake}${fixture}/${key}`;
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, body);
      },
    },
  });
  if (batchItemFailures.length > 0) throw new Error(`${fixture}: unexpected failures`);
}
const python = process.argv[2] ?? new URL('../.venv/bin/python', import.meta.url).pathname;
const script = new URL('./verify_parquet.py', import.meta.url).pathname;
const { status } = spawnSync(python, [script, lake], { stdio: 'inherit' });
process.exit(status ?? 1);
