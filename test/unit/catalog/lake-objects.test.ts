import { describe, expect, it } from 'vitest';
import { lakeObjectClassifier } from '../../../shared/catalog/lake-objects';
import { parseCatalogMessage } from '../../../shared/catalog/messages';
import { datasets } from '../../../shared/datasets';
import { LAKE_BUCKET, loadSqsEvent } from '../../fixtures/sqs/events';

const classify = lakeObjectClassifier(datasets, LAKE_BUCKET);

function classesOf(fixture: Parameters<typeof loadSqsEvent>[0], count?: number) {
  return loadSqsEvent(fixture)
    .Records.slice(0, count)
    .map(({ messageId, body }) => {
      const message = parseCatalogMessage(messageId, body);
      if (message.kind !== 's3-objects') throw new Error(`${messageId} is a ${message.kind}`);
      const found = classify(message.objects[0] as (typeof message.objects)[number]);
      return found.kind === 'data'
        ? `data ${found.partition.dataset.name} ${found.partition.path} [${found.partition.values}]`
        : found.reason;
    });
}

describe('Function: lakeObjectClassifier', () => {
  it('takes only created Parquet objects of the lake raw zone in a declared partition layout', () => {
    // Act
    const classes = classesOf('s3-prefixes');

    // Assess
    expect(classes).toEqual([
      'quarantine',
      'temporary', // _temporary/
      'temporary', // _$folder$
      'temporary', // .tmp
      'temporary', // .spark-staging
      'outside-raw', // curated/
      'unknown-dataset',
      'bad-partition-path', // month 13
      'bad-partition-path', // keys out of order
      'not-parquet',
      'foreign-bucket',
      'not-created',
      'data orders dt=2026-11-24/hour=13 [2026-11-24,13]',
      'not-parquet', // folder placeholder
    ]);
  });

  it('reads partitions from decoded keys, whatever the encoding', () => {
    // Act
    const classes = classesOf('s3-encoded-keys', 2);

    // Assess
    expect(classes).toEqual([
      'data orders dt=2026-11-24/hour=13 [2026-11-24,13]',
      'data orders dt=2026-11-24/hour=14 [2026-11-24,14]',
    ]);
  });

  it('finds the partitions of every dataset in a burst', () => {
    // Act
    const classes = classesOf('s3-burst');

    // Assess
    expect(new Set(classes)).toEqual(
      new Set([
        'data orders dt=2026-11-24/hour=13 [2026-11-24,13]',
        'data orders dt=2026-11-24/hour=14 [2026-11-24,14]',
        'data clickstream dt=2026-11-24/hour=14 [2026-11-24,14]',
        'data sensor_readings dt=2026-11-24/hour=14 [2026-11-24,14]',
      ]),
    );
  });
});
