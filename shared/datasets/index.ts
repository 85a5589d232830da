import { clickstream } from './clickstream';
import { orders } from './orders';
import { sensorReadings } from './sensor-readings';
import type { DatasetDeclaration } from './types';

/** Every dataset streamlake ingests. Add a dataset by adding its file here. */
export const datasets: readonly DatasetDeclaration[] = [clickstream, orders, sensorReadings];

export { glueTypeOf } from './glue-type';
export { LINEAGE_COLUMNS, tableColumnsOf, UNMAPPED_COLUMN } from './table';
export type {
  Column,
  ColumnType,
  DatasetDeclaration,
  Field,
  PartitionKey,
  RouteRule,
} from './types';
export { DEFAULT_PARTITION_KEYS, partitionKeysOf } from './types';
