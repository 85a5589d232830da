import {
  BatchCreatePartitionCommand,
  GetTableCommand,
  type GlueClient,
  type PartitionInput,
  type StorageDescriptor,
} from '@aws-sdk/client-glue';
import { awsErrorCode, errorDetail, PartitionRegistrationError } from './errors';

/** A partition to register: its table, its values in partition-key order, its Hive path. */
export interface PartitionRequest {
  readonly table: string;
  readonly values: readonly string[];
  /** e.g. `dt=2026-11-24/hour=13`, appended to the table location. */
  readonly path: string;
}

export interface RegistrationOutcome {
  /** Created by this call. */
  readonly created: number;
  /** Already in the catalog (AlreadyExistsException): fine, registration is idempotent. */
  readonly existed: number;
  /** Known to this container from an earlier call: no request made. */
  readonly cached: number;
  /** By `partitionId`: the partitions that could not be registered and why. */
  readonly failures: ReadonlyMap<string, PartitionRegistrationError>;
}

export interface PartitionRegistrar {
  register(requests: readonly PartitionRequest[]): Promise<RegistrationOutcome>;
}

/** BatchCreatePartition accepts at most 100 partitions per call. */
export const MAX_PARTITIONS_PER_CALL = 100;

/** @example partitionId('orders', ['2026-11-24', '13']) // 'orders/2026-11-24/13' */
export function partitionId(table: string, values: readonly string[]): string {
  return [table, ...values].join('/');
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Registers partitions with `BatchCreatePartition`, at most 100 per call. Each partition gets the
 * table's storage descriptor (read with GetTable once per table per container) with its own
 * location. Partitions created or found existing are remembered for the life of the container
 * (up to `maxRemembered`, then forgotten at once), so a warm container asks for each one once.
 * Failures are returned per partition, never thrown.
 * @example
 * const registrar = partitionRegistrar(glue, { database: 'streamlake_dev' });
 * await registrar.register([{ table: 'orders', values: ['2026-11-24', '13'], path: 'dt=2026-11-24/hour=13' }]);
 */
export function partitionRegistrar(
  glue: GlueClient,
  options: { readonly database: string; readonly maxRemembered?: number },
): PartitionRegistrar {
  const { database, maxRemembered = 10_000 } = options;
  const known = new Set<string>();
  const storage = new Map<string, Promise<StorageDescriptor>>();

  const storageOf = (table: string): Promise<StorageDescriptor> => {
    let descriptor = storage.get(table);
    if (!descriptor) {
      descriptor = glue
        .send(new GetTableCommand({ DatabaseName: database, Name: table }))
        .then(({ Table }) => {
          if (!Table?.StorageDescriptor?.Location)
            throw new Error(`table ${database}.${table} has no storage location`);
          return Table.StorageDescriptor;
        });
      // A failed read is not remembered: the next batch asks again.
      descriptor.catch(() => storage.delete(table));
      storage.set(table, descriptor);
    }
    return descriptor;
  };

  const registerTable = async (table: string, requests: PartitionRequest[]) => {
    const failures = new Map<string, PartitionRegistrationError>();
    let created = 0;
    let existed = 0;
    const fail = (r: PartitionRequest, code: string, detail: string, cause?: unknown) =>
      failures.set(
        partitionId(table, r.values),
        new PartitionRegistrationError(`${database}.${table}`, r.values, code, detail, { cause }),
      );
    let descriptor: StorageDescriptor;
    try {
      descriptor = await storageOf(table);
    } catch (error) {
      for (const r of requests) fail(r, awsErrorCode(error), `GetTable: ${errorDetail(error)}`);
      return { created, existed, failures };
    }
    const base = String(descriptor.Location).replace(/\/?$/, '/');
    for (const chunk of chunks(requests, MAX_PARTITIONS_PER_CALL)) {
      const inputs: PartitionInput[] = chunk.map((r) => ({
        Values: [...r.values],
        StorageDescriptor: { ...descriptor, Location: `${base}${r.path}/` },
      }));
      try {
        const { Errors = [] } = await glue.send(
          new BatchCreatePartitionCommand({
            DatabaseName: database,
            TableName: table,
            PartitionInputList: inputs,
          }),
        );
        const errors = new Map(Errors.map((e) => [partitionId(table, e.PartitionValues ?? []), e]));
        for (const r of chunk) {
          const id = partitionId(table, r.values);
          const code = errors.get(id)?.ErrorDetail?.ErrorCode;
          if (code === undefined) created += 1;
          else if (code === 'AlreadyExistsException') existed += 1;
          else fail(r, code, errors.get(id)?.ErrorDetail?.ErrorMessage ?? 'no message');
          if (code === undefined || code === 'AlreadyExistsException') known.add(id);
        }
      } catch (error) {
        for (const r of chunk) fail(r, awsErrorCode(error), errorDetail(error), error);
      }
    }
    return { created, existed, failures };
  };

  return {
    async register(requests) {
      if (known.size > maxRemembered) known.clear();
      const pending = new Map<string, PartitionRequest[]>();
      const seen = new Set<string>();
      let cached = 0;
      for (const request of requests) {
        const id = partitionId(request.table, request.values);
        if (seen.has(id)) continue;
        seen.add(id);
        if (known.has(id)) {
          cached += 1;
          continue;
        }
        pending.set(request.table, [...(pending.get(request.table) ?? []), request]);
      }
      const results = await Promise.all(
        [...pending].map(([table, list]) => registerTable(table, list)),
      );
      return {
        created: results.reduce((n, r) => n + r.created, 0),
        existed: results.reduce((n, r) => n + r.existed, 0),
        cached,
        failures: new Map(results.flatMap((r) => [...r.failures])),
      };
    },
  };
}
