import { describe, expect, it } from 'vitest';
import { datasets } from '../../../shared/datasets';
import { clickstream } from '../../../shared/datasets/clickstream';
import { decodeRecord } from '../../../shared/records/decode';
import { compileRegistry } from '../../../shared/records/registry';
import { routeUserRecord } from '../../../shared/records/route';
import { kinesisRecord } from '../../helpers/kinesis-records';

const registry = compileRegistry(datasets);
const route = (partitionKey: string, text: string) => {
  const result = routeUserRecord(registry, partitionKey, Buffer.from(text, 'utf8'));
  return 'error' in result
    ? {
        dataset: result.dataset?.declaration.name ?? null,
        error: `${result.error.reason}: ${result.error.message}`,
      }
    : { dataset: result.dataset.declaration.name, parsed: result.json !== undefined };
};

describe('Function: routeUserRecord', () => {
  it('routes by partition-key prefix first, whatever the payload', () => {
    expect(route('orders/o-1', '{"event_type":"click"}')).toEqual({
      dataset: 'orders',
      parsed: false,
    });
    expect(route('sensor/th-1', '\u0008abc')).toEqual({
      dataset: 'sensor_readings',
      parsed: false,
    });
  });

  it('routes JSON by a top-level field value and hands the parsed object on', () => {
    expect(route('u-1', '  {"event_type":"purchase"}')).toEqual({
      dataset: 'clickstream',
      parsed: true,
    });
  });

  it('routes JSON that opens with a byte order mark like the parser reads it', () => {
    expect(route('user-1', '\ufeff{"event_type":"click"}')).toEqual({
      dataset: 'clickstream',
      parsed: true,
    });
  });

  it('reports unknown datasets and bad JSON precisely', () => {
    expect(route('u-1', '{"event_type":7}')).toEqual({
      dataset: null,
      error:
        'unknown-dataset: no dataset matches: partition key "u-1" has none of the prefixes (orders/, sensor/) and event_type=7 is not a routed value',
    });
    expect(route('u-1', 'hello')).toEqual({
      dataset: null,
      error:
        'unknown-dataset: no dataset matches: partition key "u-1" has none of the prefixes (orders/, sensor/) and event_type=(not JSON) is not a routed value',
    });
    expect(route('u-1', '{"event_type":')).toEqual({
      dataset: null,
      error: 'bad-json: not JSON: unexpected end of input at position 14',
    });
  });

  it('falls back to the default dataset when there is one', () => {
    // Prepare
    const withDefault = compileRegistry([{ ...clickstream, route: { by: 'default' } }]);

    const broken = kinesisRecord({ data: '{"event_type":' }).kinesis;

    // Act
    const routed = routeUserRecord(withDefault, 'u-1', Buffer.from('{"event_type":"anything"}'));
    const { poisons } = decodeRecord(withDefault, broken, 4096);

    // Assess: bad JSON is filed under the dataset it would have gone to
    expect(routed.dataset?.declaration.name).toBe('clickstream');
    expect(poisons.map((p) => [p.error.reason, p.dataset])).toEqual([['bad-json', 'clickstream']]);
  });
});
