import { readFileSync } from 'node:fs';
import type { KinesisStreamEvent } from 'aws-lambda';

/** The Kinesis event fixtures under test/fixtures/kinesis (regenerate with its generate.ts). */
export const KINESIS_FIXTURES = [
  'clickstream-happy',
  'clickstream-partitions',
  'poison',
  'kpl-aggregated',
  'gzip',
  'orders-csv',
  'sensor-avro',
  'edge-values',
  'mixed-datasets',
] as const;

export type KinesisFixture = (typeof KINESIS_FIXTURES)[number];

/** Reads a fixture as JSON of type T from `test/fixtures/<service>/<name>.json`. */
export function loadFixture<T>(service: string, name: string): T {
  const url = new URL(`../fixtures/${service}/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

/** A Kinesis event fixture, typed as Lambda delivers it. */
export function loadKinesisEvent(name: KinesisFixture): KinesisStreamEvent {
  return loadFixture<KinesisStreamEvent>('kinesis', name);
}
