// Types for the de-aggregation half of aws-kinesis-agg, imported directly so that bundles leave out
// the aggregation half and its dependencies.
declare module 'aws-kinesis-agg/lib/kpl-deagg.js' {
  interface KinesisRecordInput {
    data: string;
    partitionKey: string;
    sequenceNumber: string;
    explicitPartitionKey?: string;
  }
  interface DeaggregatedUserRecord {
    partitionKey: string;
    explicitPartitionKey?: string;
    sequenceNumber: string;
    subSequenceNumber?: number;
    data: string;
  }
  export function deaggregate(
    kinesisRecord: KinesisRecordInput,
    computeChecksums: boolean,
    perRecordCallback: (err: Error | null, userRecord?: DeaggregatedUserRecord) => void,
    afterRecordCallback: (err?: Error, errorUserRecord?: DeaggregatedUserRecord) => void,
  ): void;
}
