import { gzipSync } from 'node:zlib';
import { aggregate } from 'aws-kinesis-agg';
import { sensorReadings } from '../../shared/datasets/sensor-readings';
import { compileAvroType } from '../../shared/records/avro';
import { ExactTimestamp } from '../../shared/records/time';

/** Payload builders for the formats a Kinesis record can carry: KPL, gzip, CloudWatch Logs, Avro. */

/** A KPL aggregated record (magic bytes + protobuf + MD5), built by AWS's own aggregator. */
export function kplAggregate(
  userRecords: readonly { partitionKey: string; data: Buffer }[],
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const encoded: Buffer[] = [];
    aggregate(
      userRecords.map((r) => ({ partitionKey: r.partitionKey, data: r.data })),
      (record, done) => {
        encoded.push(record.data);
        done();
      },
      () =>
        encoded.length === 1 && encoded[0]
          ? resolve(encoded[0])
          : reject(new Error(`expected one aggregate, got ${encoded.length}`)),
      (error) => reject(error),
    );
  });
}

/** The same aggregate with its MD5 checksum damaged (last byte flipped). */
export function withBadChecksum(aggregated: Buffer): Buffer {
  const copy = Buffer.from(aggregated);
  copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) ^ 0xff;
  return copy;
}

/** gzip with a fixed header time, so fixtures regenerate byte for byte. */
export function gzip(data: Buffer | string): Buffer {
  return gzipSync(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
}

/** A CloudWatch Logs subscription DATA_MESSAGE, gzip-compressed as CloudWatch sends it. */
export function logsDataMessage(
  messages: readonly string[],
  firstTimestamp = 1_795_527_000_000,
): Buffer {
  return gzip(
    JSON.stringify({
      messageType: 'DATA_MESSAGE',
      owner: '123456789012',
      logGroup: '/shop/frontend',
      logStream: 'web-1',
      subscriptionFilters: ['streamlake-clicks'],
      logEvents: messages.map((message, i) => ({
        id: `3819504287364981029384756102938475610293847561029384${String(i).padStart(2, '0')}`,
        timestamp: firstTimestamp + i,
        message,
      })),
    }),
  );
}

/** The CONTROL_MESSAGE CloudWatch Logs sends to check a new destination. */
export function logsControlMessage(): Buffer {
  return gzip(
    JSON.stringify({
      messageType: 'CONTROL_MESSAGE',
      owner: 'CloudwatchLogs',
      logGroup: '',
      logStream: '',
      subscriptionFilters: [],
      logEvents: [
        {
          id: '',
          timestamp: 1_795_527_000_000,
          message: 'CWL CONTROL MESSAGE: Checking health of destination Kinesis stream.',
        },
      ],
    }),
  );
}

const sensorType = compileAvroType(
  sensorReadings.format.type === 'avro' ? sensorReadings.format.schema : ({} as never),
);

/** A binary Avro datum of the sensor_readings schema (longs as bigint, reading_time as micros). */
export function sensorDatum(reading: Record<string, unknown>): Buffer {
  return sensorType.toBuffer(reading);
}

/** A sensor_readings datum with the optional fields null or empty, read at 2026-11-24T13:10:00.5Z. */
export function bareSensorDatum(sensorId: string): Buffer {
  return sensorDatum({
    sensor_id: sensorId,
    reading_time: new ExactTimestamp(1_795_525_800_500_000n),
    temperature_c: 21.5,
    humidity_pct: null,
    battery_mv: 3012,
    sample_count: 1024n,
    firmware: null,
    location: null,
    labels: [],
  });
}
