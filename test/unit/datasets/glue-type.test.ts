import { describe, expect, it } from 'vitest';
import { datasets } from '../../../shared/datasets';
import { glueTypeOf } from '../../../shared/datasets/glue-type';
import { tableColumnsOf } from '../../../shared/datasets/table';
import { decimal, list, map, struct } from '../../../shared/datasets/types';

describe('Function: glueTypeOf', () => {
  it('names scalars as Hive does', () => {
    // Prepare
    const scalars = ['string', 'int', 'bigint', 'double', 'boolean', 'timestamp', 'date'] as const;

    // Act
    const names = scalars.map(glueTypeOf);

    // Assess
    expect(names).toEqual(['string', 'int', 'bigint', 'double', 'boolean', 'timestamp', 'date']);
  });

  it('spells decimals, arrays, structs and maps without spaces', () => {
    // Prepare
    const nested = struct([
      { name: 'url', type: 'string' },
      { name: 'hits', type: list(map(decimal(10, 2))) },
    ]);

    // Act
    const name = glueTypeOf(nested);

    // Assess
    expect(glueTypeOf(decimal(18, 4))).toBe('decimal(18,4)');
    expect(glueTypeOf(list('string'))).toBe('array<string>');
    expect(glueTypeOf(map('string'))).toBe('map<string,string>');
    expect(name).toBe('struct<url:string,hits:array<map<string,decimal(10,2)>>>');
  });

  it('gives the clickstream table the Glue columns the catalog will declare', () => {
    // Prepare
    const clickstream = datasets.find((d) => d.name === 'clickstream');
    if (!clickstream) throw new Error('clickstream is registered');

    // Act
    const columns = tableColumnsOf(clickstream).map((c) => `${c.name} ${glueTypeOf(c.type)}`);

    // Assess
    expect(columns).toEqual([
      'event_id string',
      'user_id string',
      'event_type string',
      'event_time timestamp',
      'page struct<url:string,referrer:string>',
      'tags array<string>',
      'amount decimal(18,4)',
      'quantity int',
      'big_counter bigint',
      'is_test boolean',
      'properties map<string,string>',
      '_unmapped string',
      '_shard_id string',
      '_sequence_number string',
      '_sub_sequence_number bigint',
      '_approximate_arrival timestamp',
      '_ingested_at timestamp',
    ]);
  });
});
