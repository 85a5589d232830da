import { deaggregate } from 'aws-kinesis-agg/lib/kpl-deagg.js';
import { BadKplError } from './errors';

/** First four bytes of a KPL aggregated record (the KPL's aggregation format, version 0.9.0). */
const KPL_MAGIC = [0xf3, 0x89, 0x9a, 0xc2] as const;

/** One user record taken out of a KPL aggregate. */
export interface KplUserRecord {
  readonly bytes: Buffer;
  readonly partitionKey: string;
  readonly subSequenceNumber: number;
}

export function isKplAggregate(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === KPL_MAGIC[0] &&
    bytes[1] === KPL_MAGIC[1] &&
    bytes[2] === KPL_MAGIC[2] &&
    bytes[3] === KPL_MAGIC[3]
  );
}

/**
 * Splits a KPL aggregate (magic bytes, protobuf `AggregatedRecord`, MD5 of the protobuf) into its
 * user records, in order, checking the checksum. Uses AWS's own implementation.
 * @throws BadKplError when the protobuf does not decode, the checksum is wrong, a user record's
 *   partition key index is outside the key table, or it holds nothing
 */
export function deaggregateKpl(record: {
  data: string;
  partitionKey: string;
  sequenceNumber: string;
}): KplUserRecord[] {
  const users: KplUserRecord[] = [];
  let failure: Error | undefined;
  // The library is callback-shaped but synchronous; it reports a bad aggregate to the second
  // callback, possibly more than once, so the first error is kept and nothing is thrown inside.
  deaggregate(
    { data: record.data, partitionKey: record.partitionKey, sequenceNumber: record.sequenceNumber },
    true,
    (err, user) => {
      if (err) failure ??= err;
      // The library does not check the index into the partition key table: an index past its end
      // comes back as an undefined key, which must fail here rather than as a TypeError later.
      else if (user && typeof user.partitionKey !== 'string')
        failure ??= new Error(
          `user record ${users.length} names a partition key the aggregate does not hold`,
        );
      else if (user)
        users.push({
          bytes: Buffer.from(user.data, 'base64'),
          partitionKey: user.partitionKey,
          subSequenceNumber: user.subSequenceNumber ?? users.length,
        });
    },
    (err) => {
      if (err) failure ??= err;
    },
  );
  if (failure)
    throw new BadKplError(`KPL aggregate is corrupt: ${failure.message}`, { cause: failure });
  if (users.length === 0) throw new BadKplError('KPL aggregate holds no user records');
  return users;
}
