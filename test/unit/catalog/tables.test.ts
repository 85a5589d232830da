import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  glueTableResources,
  rawTableRefs,
  tableLogicalIdOf,
} from '../../../shared/catalog/table-resources';
import {
  cutToUtf8Bytes,
  glueColumnsOf,
  PARQUET_STORAGE,
  projectionParametersOf,
  tableInputOf,
} from '../../../shared/catalog/tables';
import { datasets } from '../../../shared/datasets';
import { clickstream } from '../../../shared/datasets/clickstream';
import { orders } from '../../../shared/datasets/orders';
import { sensorReadings } from '../../../shared/datasets/sensor-readings';
import type { DatasetDeclaration } from '../../../shared/datasets/types';

// Written down from the declarations and the ingest writer's file layout, not computed.
const ORDERS_DATA_COLUMNS = [
  { Name: 'order_id', Type: 'string' },
  { Name: 'customer_id', Type: 'string' },
  { Name: 'order_time', Type: 'timestamp' },
  { Name: 'status', Type: 'string' },
  { Name: 'currency', Type: 'string', Comment: 'ISO 4217 code' },
  { Name: 'total', Type: 'decimal(12,2)' },
  { Name: 'item_count', Type: 'int' },
  { Name: 'shipped_date', Type: 'date', Comment: 'Null until shipped' },
  { Name: 'is_gift', Type: 'boolean' },
  { Name: 'note', Type: 'string' },
  {
    Name: '_unmapped',
    Type: 'string',
    Comment: 'JSON object of fields the dataset declaration does not know, keyed by field path',
  },
];
const LINEAGE = [
  { Name: '_shard_id', Type: 'string', Comment: 'Kinesis shard id' },
  {
    Name: '_sequence_number',
    Type: 'string',
    Comment: 'Kinesis sequence number (decimal digits; compare as a number, not as text)',
  },
  {
    Name: '_sub_sequence_number',
    Type: 'bigint',
    Comment: 'Position of the user record inside a KPL-aggregated record; null otherwise',
  },
  {
    Name: '_approximate_arrival',
    Type: 'timestamp',
    Comment: 'When Kinesis accepted the record (UTC)',
  },
  { Name: '_ingested_at', Type: 'timestamp', Comment: 'When ingest read the batch (UTC)' },
];
const DT_HOUR = [
  { Name: 'dt', Type: 'string', Comment: 'Event date (UTC), YYYY-MM-DD' },
  { Name: 'hour', Type: 'string', Comment: 'Event hour (UTC), HH' },
];
const PARQUET = {
  InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  SerdeInfo: {
    SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    Parameters: { 'serialization.format': '1' },
  },
};

describe('Function: tableInputOf', () => {
  it('describes a direct dataset raw table: every file column, dt/hour keys, Parquet SerDe', () => {
    // Act
    const table = tableInputOf(orders, 'raw', {
      location: 's3://lake/raw/orders/',
      projectionStart: '2026-01-01',
    });

    // Assess
    expect(table).toEqual({
      Name: 'orders',
      Description: 'Shop orders (CSV, one line per record, no header) (raw zone)',
      TableType: 'EXTERNAL_TABLE',
      Parameters: {
        classification: 'parquet',
        EXTERNAL: 'TRUE',
        'parquet.compression': 'SNAPPY',
        'streamlake.dataset': 'orders',
        'streamlake.zone': 'raw',
        'streamlake.partitions': 'direct',
      },
      PartitionKeys: DT_HOUR,
      StorageDescriptor: {
        Location: 's3://lake/raw/orders/',
        Columns: [...ORDERS_DATA_COLUMNS, ...LINEAGE],
        ...PARQUET,
        Compressed: false,
        StoredAsSubDirectories: false,
      },
    });
  });

  it('leaves the lineage columns out of the curated table', () => {
    // Act
    const table = tableInputOf(orders, 'curated', {
      location: 's3://lake/curated/orders/',
      projectionStart: '2026-01-01',
    });

    // Assess
    expect(table.Name).toBe('curated_orders');
    expect(table.StorageDescriptor.Columns).toEqual(ORDERS_DATA_COLUMNS);
    expect(table.PartitionKeys).toEqual(DT_HOUR);
    expect(table.Parameters['streamlake.partitions']).toBe('job');
  });

  it('spells nested, decimal and 64-bit types as Hive DDL', () => {
    // Act
    const table = tableInputOf(clickstream, 'raw', {
      location: 'x',
      projectionStart: '2026-01-01',
    });

    // Assess
    expect(table.StorageDescriptor.Columns.slice(0, 11)).toEqual([
      { Name: 'event_id', Type: 'string', Comment: 'Producer-assigned unique id' },
      { Name: 'user_id', Type: 'string', Comment: 'Null for anonymous visitors' },
      { Name: 'event_type', Type: 'string' },
      { Name: 'event_time', Type: 'timestamp', Comment: 'When it happened (UTC)' },
      { Name: 'page', Type: 'struct<url:string,referrer:string>' },
      { Name: 'tags', Type: 'array<string>' },
      { Name: 'amount', Type: 'decimal(18,4)', Comment: 'Order value, exact' },
      { Name: 'quantity', Type: 'int' },
      { Name: 'big_counter', Type: 'bigint', Comment: 'May exceed 2^53; kept exact' },
      { Name: 'is_test', Type: 'boolean' },
      { Name: 'properties', Type: 'map<string,string>' },
    ]);
    expect(
      tableInputOf(sensorReadings, 'raw', { location: 'x', projectionStart: '2026-01-01' })
        .StorageDescriptor.Columns.slice(0, 9)
        .map((c) => `${c.Name} ${c.Type}`),
    ).toEqual([
      'sensor_id string',
      'reading_time timestamp',
      'temperature_c double',
      'humidity_pct double',
      'battery_mv int',
      'sample_count bigint',
      'firmware string',
      'location struct<lat:double,lon:double>',
      'labels array<string>',
    ]);
  });

  it('adds Athena partition projection to raw tables of projection datasets only', () => {
    // Act
    const raw = tableInputOf(clickstream, 'raw', { location: 'x', projectionStart: '2025-06-01' });
    const curated = tableInputOf(clickstream, 'curated', {
      location: 'x',
      projectionStart: '2025-06-01',
    });

    // Assess
    expect(raw.Parameters).toEqual({
      classification: 'parquet',
      EXTERNAL: 'TRUE',
      'parquet.compression': 'SNAPPY',
      'streamlake.dataset': 'clickstream',
      'streamlake.zone': 'raw',
      'streamlake.partitions': 'projection',
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': '2025-06-01,NOW+1DAYS',
      'projection.dt.interval': '1',
      'projection.dt.interval.unit': 'DAYS',
      'projection.hour.type': 'integer',
      'projection.hour.range': '0,23',
      'projection.hour.digits': '2',
    });
    expect(Object.keys(curated.Parameters).filter((k) => k.startsWith('projection.'))).toEqual([]);
  });
});

describe('Function: projectionParametersOf', () => {
  it('projects year and month keys too', () => {
    // Prepare
    const monthly: DatasetDeclaration = {
      ...orders,
      partitionKeys: [
        { name: 'year', part: 'year' },
        { name: 'month', part: 'month' },
      ],
    };

    // Act
    const parameters = projectionParametersOf(monthly, '2024-03-15');

    // Assess
    expect(parameters).toEqual({
      'projection.enabled': 'true',
      'projection.year.type': 'date',
      'projection.year.format': 'yyyy',
      'projection.year.range': '2024,NOW+1YEARS',
      'projection.year.interval': '1',
      'projection.year.interval.unit': 'YEARS',
      'projection.month.type': 'integer',
      'projection.month.range': '1,12',
      'projection.month.digits': '2',
    });
  });

  it('refuses a start date that is not YYYY-MM-DD', () => {
    // Act
    const project = () => projectionParametersOf(clickstream, '2026-1-1');

    // Assess
    expect(project).toThrow('projection start date must be YYYY-MM-DD, got "2026-1-1"');
  });
});

describe('Function: glueTableResources', () => {
  it('makes a raw and a curated AWS::Glue::Table per dataset, located in the lake bucket', () => {
    // Act
    const resources = glueTableResources(datasets, { projectionStart: '2026-01-01' });

    // Assess
    expect(Object.keys(resources)).toEqual([
      'GlueTableRawClickstream',
      'GlueTableCuratedClickstream',
      'GlueTableRawOrders',
      'GlueTableCuratedOrders',
      'GlueTableRawSensorReadings',
      'GlueTableCuratedSensorReadings',
    ]);
    const orders = resources.GlueTableRawOrders;
    expect(orders?.Type).toBe('AWS::Glue::Table');
    expect(orders?.Properties.CatalogId).toEqual({ Ref: 'AWS::AccountId' });
    expect(orders?.Properties.DatabaseName).toEqual({ Ref: 'GlueDatabase' });
    expect(orders?.Properties.TableInput.StorageDescriptor.Location).toEqual({
      'Fn::Join': ['', ['s3://', { Ref: 'LakeBucket' }, '/raw/orders/']],
    });
    expect(
      resources.GlueTableCuratedSensorReadings?.Properties.TableInput.StorageDescriptor.Location,
    ).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: 'LakeBucket' }, '/curated/sensor_readings/']] });
    expect(orders?.Properties.TableInput.StorageDescriptor.SerdeInfo).toEqual(
      PARQUET_STORAGE.SerdeInfo,
    );
  });

  it('points the crawler at the raw tables only', () => {
    // Act
    const refs = rawTableRefs(datasets);

    // Assess
    expect(refs).toEqual([
      { Ref: 'GlueTableRawClickstream' },
      { Ref: 'GlueTableRawOrders' },
      { Ref: 'GlueTableRawSensorReadings' },
    ]);
    expect(tableLogicalIdOf({ name: 'a_b_c' }, 'curated')).toBe('GlueTableCuratedABC');
  });
});

describe('Module: glue/catalog-tables.cjs (what serverless.yml includes)', () => {
  const generator = createRequire(import.meta.url)('../../../glue/catalog-tables.cjs') as {
    resources: (context: {
      resolveVariable: (name: string) => Promise<unknown>;
    }) => Promise<{ Resources: Record<string, { Type: string }> }>;
    rawTableRefs: () => unknown[];
  };

  it('loads the TypeScript declarations and resolves the projection start from the stage params', async () => {
    // Prepare
    const asked: string[] = [];
    const resolveVariable = async (name: string) => {
      asked.push(name);
      return '2026-02-01';
    };

    // Act
    const { Resources } = await generator.resources({ resolveVariable });

    // Assess
    expect(asked).toEqual(['param:catalogProjectionStart']);
    expect(Resources).toEqual(glueTableResources(datasets, { projectionStart: '2026-02-01' }));
    expect(generator.rawTableRefs()).toEqual(rawTableRefs(datasets));
  });
});

describe("Function: glueColumnsOf, within Glue's limits", () => {
  it('cuts a comment to 255 UTF-8 bytes at a character boundary (Glue counts bytes)', () => {
    // Prepare: 200 two-byte characters (400 bytes), and one that ends mid-emoji at 255
    const umlauts = 'ü'.repeat(200);
    const emoji = `${'a'.repeat(253)}\u{1f600}`;

    // Act
    const [first, second] = glueColumnsOf([
      { name: 'a', type: 'string', comment: umlauts },
      { name: 'b', type: 'string', comment: emoji },
    ]);

    // Assess: 127 whole umlauts (254 bytes); the emoji (4 bytes) does not fit after 253 bytes
    expect(first?.Comment).toBe('ü'.repeat(127));
    expect(second?.Comment).toBe('a'.repeat(253));
    expect(cutToUtf8Bytes('Grüße', 3)).toBe('Gr');
    expect(cutToUtf8Bytes('short', 255)).toBe('short');
  });
});
