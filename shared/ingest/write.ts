import { tableColumnsOf } from '../datasets/table';
import { encodeQuarantine } from '../lake/quarantine';
import type { LakeObject, LakeWriter } from '../lake/writer';
import { type ParquetEncoder, parquetEncoderFor } from '../parquet/encode';
import type { DecodedRow } from '../records/decode';
import type { CompiledDataset } from '../records/registry';
import type { RawGroup, ShardRecord, WriteGroup } from './group';

/** What happened to one group's object. */
export interface WriteOutcome {
  readonly group: WriteGroup;
  readonly written: boolean;
  readonly bytes: number;
  readonly error?: unknown;
}

const encoders = new WeakMap<CompiledDataset, ParquetEncoder>();

function encoderOf(dataset: CompiledDataset): ParquetEncoder {
  let encoder = encoders.get(dataset);
  if (!encoder) {
    encoder = parquetEncoderFor(tableColumnsOf(dataset.declaration));
    encoders.set(dataset, encoder);
  }
  return encoder;
}

/** Column arrays of a raw group: declared columns, `_unmapped`, then the lineage columns. */
function columnsOf(
  group: RawGroup,
  records: readonly ShardRecord[],
  ingestedMicros: bigint,
): unknown[][] {
  const declared = group.dataset.declaration.columns.length;
  const count = group.rows.length;
  const columns = Array.from({ length: declared + 6 }, () => new Array<unknown>(count));
  for (let c = 0; c < declared; c += 1) {
    const column = columns[c] as unknown[];
    for (let r = 0; r < count; r += 1) column[r] = (group.rows[r] as DecodedRow).values[c];
  }
  const [unmapped, shard, sequence, subSequence, arrival, ingested] = columns.slice(declared) as [
    unknown[],
    unknown[],
    unknown[],
    unknown[],
    unknown[],
    unknown[],
  ];
  for (let r = 0; r < count; r += 1) {
    const row = group.rows[r] as DecodedRow;
    const record = records[group.records[r] as number] as ShardRecord;
    unmapped[r] = row.unmapped;
    shard[r] = record.shardId;
    sequence[r] = record.sequenceNumber;
    subSequence[r] = row.subSequenceNumber;
    arrival[r] = record.arrivalMicros;
    ingested[r] = ingestedMicros;
  }
  return columns;
}

function objectOf(
  group: WriteGroup,
  records: readonly ShardRecord[],
  ingestedMicros: bigint,
): LakeObject {
  const metadata = {
    'streamlake-first-sequence-number': (records[group.first] as ShardRecord).sequenceNumber,
    'streamlake-last-sequence-number': (records[group.last] as ShardRecord).sequenceNumber,
  };
  if (group.kind === 'quarantine')
    return {
      key: group.key,
      body: encodeQuarantine(group.entries),
      contentType: 'application/x-ndjson',
      metadata: { ...metadata, 'streamlake-entries': String(group.entries.length) },
    };
  const body = encoderOf(group.dataset)(columnsOf(group, records, ingestedMicros), {
    'streamlake.dataset': group.dataset.declaration.name,
  });
  return {
    key: group.key,
    body,
    contentType: 'application/vnd.apache.parquet',
    metadata: { ...metadata, 'streamlake-rows': String(group.rows.length) },
  };
}

/**
 * Encodes and stores every group, `concurrency` at a time. A failure to encode or store one
 * group is returned, not thrown, so that the caller can work out the checkpoint.
 */
export async function writeGroups(
  groups: readonly WriteGroup[],
  records: readonly ShardRecord[],
  writer: LakeWriter,
  options: { readonly concurrency: number; readonly ingestedMicros: bigint },
): Promise<WriteOutcome[]> {
  const outcomes = new Array<WriteOutcome>(groups.length);
  let next = 0;
  const work = async (): Promise<void> => {
    while (next < groups.length) {
      const i = next;
      next += 1;
      const group = groups[i] as WriteGroup;
      try {
        const object = objectOf(group, records, options.ingestedMicros);
        await writer.put(object);
        outcomes[i] = { group, written: true, bytes: object.body.length };
      } catch (error) {
        outcomes[i] = { group, written: false, bytes: 0, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, groups.length) }, work));
  return outcomes;
}
