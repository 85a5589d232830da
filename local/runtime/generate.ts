import { sensorReadings } from '../../shared/datasets/sensor-readings';
import { compileAvroType } from '../../shared/records/avro';
import { ExactTimestamp } from '../../shared/records/time';
import type { ProducedRecord } from './producer';

export interface GenerateOptions {
  readonly count: number;
  /** The same seed gives the same records. */
  readonly seed?: number;
  /** One record in this many is poison (bad JSON or an unknown dataset); 0 for none. */
  readonly poisonEvery?: number;
  /** Event times spread over the `hours` hours before this instant (epoch ms). */
  readonly endMs?: number;
  readonly hours?: number;
}

/** mulberry32: a small seeded generator, so runs are repeatable. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const EVENT_TYPES = ['page_view', 'click', 'add_to_cart', 'checkout', 'purchase', 'search'];
const sensorType = compileAvroType(
  sensorReadings.format.type === 'avro' ? sensorReadings.format.schema : ({} as never),
);

/**
 * Records for demos and benchmarks, generated one at a time (nothing is held in memory): about
 * 70 % clickstream JSON, 15 % orders CSV, 15 % sensor readings Avro, plus the requested share of
 * poison. Ids are `g<seed>-<n>`, unique per run.
 * @example for (const record of generateRecords({ count: 10 })) console.log(record.partitionKey)
 */
export function* generateRecords(options: GenerateOptions): Generator<ProducedRecord> {
  const seed = options.seed ?? 1;
  const next = random(seed);
  const end = options.endMs ?? Date.now();
  const span = (options.hours ?? 3) * 3_600_000;
  for (let n = 0; n < options.count; n += 1) {
    const id = `g${seed}-${n}`;
    const at = end - Math.floor(next() * span);
    const roll = next();
    if (options.poisonEvery && n % options.poisonEvery === options.poisonEvery - 1) {
      yield roll < 0.5
        ? {
            partitionKey: `user-${n % 997}`,
            data: Buffer.from(`{"event_type":"click","event_id":"${id}"`),
          }
        : {
            partitionKey: `user-${n % 997}`,
            data: Buffer.from(JSON.stringify({ event_id: id, event_type: 'refund' })),
          };
    } else if (roll < 0.7) {
      const event = {
        event_id: id,
        user_id: `user-${n % 997}`,
        event_type: EVENT_TYPES[Math.floor(next() * EVENT_TYPES.length)],
        event_time: new Date(at).toISOString(),
        page: { url: `https://shop.example/p/${n % 5000}`, referrer: null },
        tags: ['generated'],
        amount: (next() * 200).toFixed(4),
        quantity: 1 + Math.floor(next() * 5),
        big_counter: n,
        is_test: false,
        properties: { seed: String(seed) },
      };
      yield { partitionKey: `user-${n % 997}`, data: Buffer.from(JSON.stringify(event)) };
    } else if (roll < 0.85) {
      const line = `${id},customer-${n % 631},${new Date(at).toISOString()},paid,EUR,${(next() * 500).toFixed(2)},${1 + (n % 7)},,false,`;
      yield { partitionKey: `orders/${id}`, data: Buffer.from(line) };
    } else {
      const datum = sensorType.toBuffer({
        sensor_id: `sensor-${n % 101}`,
        reading_time: new ExactTimestamp(BigInt(at) * 1000n + BigInt(n % 1000)),
        temperature_c: 15 + next() * 10,
        humidity_pct: next() * 100,
        battery_mv: 2800 + (n % 400),
        sample_count: BigInt(n),
        firmware: '2.4.1',
        location: null,
        labels: ['generated'],
      });
      yield { partitionKey: `sensor/sensor-${n % 101}`, data: datum };
    }
  }
}
