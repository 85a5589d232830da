import type { _Record } from '@aws-sdk/client-kinesis';
import type { KinesisStreamRecord } from 'aws-lambda';

/** Where records come from and who reads them, for the fields of a Kinesis event record. */
export interface KinesisEventSource {
  readonly shardId: string;
  readonly streamArn: string;
  readonly region: string;
  /** The reading function's execution role (informational). */
  readonly invokeIdentityArn: string;
}

/**
 * A GetRecords record as a Kinesis event-source mapping delivers it to a function (Lambda
 * developer guide, with-kinesis, "Example Kinesis record event"): data in base64, arrival in
 * epoch seconds, `eventID` = `<shardId>:<sequenceNumber>`.
 */
export function kinesisEventRecordOf(
  record: _Record,
  source: KinesisEventSource,
): KinesisStreamRecord {
  const sequenceNumber = record.SequenceNumber ?? '';
  const arrivalMs = record.ApproximateArrivalTimestamp?.getTime() ?? Date.now();
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.PartitionKey ?? '',
      sequenceNumber,
      data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
      approximateArrivalTimestamp: arrivalMs / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${source.shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: source.invokeIdentityArn,
    awsRegion: source.region,
    eventSourceARN: source.streamArn,
  };
}
