import { describe, expect, it } from 'vitest';
import { datasets } from '../../../shared/datasets';
import { clickstream } from '../../../shared/datasets/clickstream';
import { orders } from '../../../shared/datasets/orders';
import type { DatasetDeclaration } from '../../../shared/datasets/types';
import {
  DatasetDeclarationError,
  validateDataset,
  validateRegistry,
} from '../../../shared/datasets/validate';

function problemsOf(run: () => void): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof DatasetDeclarationError) return error.problems;
    throw error;
  }
  return [];
}

describe('Function: validateRegistry', () => {
  it('accepts the shipped datasets', () => {
    // Act
    const problems = problemsOf(() => validateRegistry(datasets));

    // Assess
    expect(problems).toEqual([]);
    expect(datasets.map((d) => d.name)).toEqual(['clickstream', 'orders', 'sensor_readings']);
  });

  it('refuses two defaults, overlapping prefixes and a field value claimed twice', () => {
    // Prepare
    const copy = (name: string, route: DatasetDeclaration['route']): DatasetDeclaration => ({
      ...clickstream,
      name,
      route,
    });
    const registry = [
      copy('a', { by: 'default' }),
      copy('b', { by: 'default' }),
      copy('c', { by: 'partition-key-prefix', prefix: 'x/' }),
      copy('d', { by: 'partition-key-prefix', prefix: 'x/y' }),
      copy('e', { by: 'field', field: 'kind', equals: ['k'] }),
      copy('f', { by: 'field', field: 'kind', equals: ['k'] }),
    ];

    // Act
    const problems = problemsOf(() => validateRegistry(registry));

    // Assess
    expect(problems).toEqual([
      'at most one dataset may be the default route',
      'route prefixes overlap: x/ and x/y',
      'field route kind=k is claimed twice',
    ]);
  });
});

describe('Function: validateDataset', () => {
  it('lists every problem of a broken declaration', () => {
    // Prepare
    const broken: DatasetDeclaration = {
      ...orders,
      name: 'Orders!',
      columns: [
        { name: 'order_id', type: 'string' },
        { name: 'order_id', type: 'int' },
        { name: '_hidden', type: { kind: 'decimal', precision: 40, scale: 2 } },
        { name: 'items', type: { kind: 'list', element: 'string' }, comment: 'two\nlines' },
      ],
      eventTime: 'order_id',
      partitionKeys: [{ name: 'order_id', part: 'date' }],
      recordKey: ['missing'],
      route: { by: 'field', field: 'kind', equals: [] },
    };

    // Act
    const problems = problemsOf(() => validateDataset(broken));

    // Assess
    expect(problems).toEqual([
      'name: lowercase letters, digits and _ only',
      'order_id: declared twice',
      '_hidden: names are lowercase letters, digits, _ (not leading)',
      '_hidden: decimal(40,2) needs 1 <= precision <= 38, 0 <= scale <= precision',
      'items: a comment is one line (a Glue column comment)',
      'items: csv columns must be scalar or decimal',
      'routing by field value needs the json format',
      'eventTime order_id: must name a non-nullable timestamp column',
      'partition key order_id: must be a valid name that is not a column',
      'recordKey missing: not a column',
      'route by field needs at least one value',
    ]);
  });

  it.each([
    [['month', 'hour'], 'month,hour'],
    [['year', 'month', 'hour'], 'year,month,hour'],
    [['hour', 'date'], 'hour,date'],
  ] as const)('refuses partition parts %j: not one period, coarse to fine', (parts, named) => {
    // Prepare
    const keys = parts.map((part) => ({ name: `p_${part}`, part }));

    // Act
    const problems = problemsOf(() => validateDataset({ ...orders, partitionKeys: keys }));

    // Assess
    expect(problems).toEqual([
      `partitionKeys: parts ${named} are not one period, coarse to fine, without a gap ` +
        '(one of [date], [date,hour], [year], [year,month])',
    ]);
  });

  it.each([[['date']], [['date', 'hour']], [['year']], [['year', 'month']]] as const)(
    'accepts partition parts %j',
    (parts) => {
      // Act & Assess
      expect(() =>
        validateDataset({
          ...orders,
          partitionKeys: parts.map((part) => ({ name: `p_${part}`, part })),
        }),
      ).not.toThrow();
    },
  );
});
