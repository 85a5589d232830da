import type { DatasetDeclaration } from '../datasets/types';
import { validateRegistry } from '../datasets/validate';
import { compileAvroType, decodeAvroRecord } from './avro';
import { type CoercedRecord, compileRecordCoercion } from './coerce-row';
import { parseCsvRecord } from './csv';
import { parseJsonObject } from './json';

/** A dataset declaration made executable: its parser and coercion, built once per cold start. */
export interface CompiledDataset {
  readonly declaration: DatasetDeclaration;
  /** Payload bytes to a plain object of fields (format-specific; throws a PoisonRecordError). */
  readonly parse: (payload: Buffer) => Record<string, unknown>;
  /** Object to column values (throws SchemaViolationError). */
  readonly coerce: (record: Record<string, unknown>) => CoercedRecord;
  /** Position of the event-time column in the coerced values. */
  readonly eventTimeIndex: number;
}

/** The datasets of one ingest function and the routing tables over them. */
export interface DatasetRegistry {
  readonly datasets: readonly CompiledDataset[];
  readonly byPrefix: readonly { readonly prefix: string; readonly dataset: CompiledDataset }[];
  readonly byField: readonly {
    readonly field: string;
    readonly values: ReadonlySet<string>;
    readonly dataset: CompiledDataset;
  }[];
  readonly fallback: CompiledDataset | undefined;
}

function compileParser(
  declaration: DatasetDeclaration,
): (payload: Buffer) => Record<string, unknown> {
  const format = declaration.format;
  switch (format.type) {
    case 'json':
      return parseJsonObject;
    case 'csv':
      return (payload) => parseCsvRecord(format, payload);
    case 'avro': {
      const type = compileAvroType(format.schema);
      return (payload) => decodeAvroRecord(type, payload);
    }
  }
}

/**
 * Validates the declarations and compiles them. Call once at cold start.
 * @throws DatasetDeclarationError, or avsc's error for an invalid Avro schema
 */
export function compileRegistry(declarations: readonly DatasetDeclaration[]): DatasetRegistry {
  validateRegistry(declarations);
  const datasets = declarations.map((declaration) => ({
    declaration,
    parse: compileParser(declaration),
    coerce: compileRecordCoercion(declaration.columns),
    eventTimeIndex: declaration.columns.findIndex((c) => c.name === declaration.eventTime),
  }));
  const byPrefix = datasets.flatMap((dataset) => {
    const route = dataset.declaration.route;
    return route.by === 'partition-key-prefix' ? [{ prefix: route.prefix, dataset }] : [];
  });
  const byField = datasets.flatMap((dataset) => {
    const route = dataset.declaration.route;
    return route.by === 'field'
      ? [{ field: route.field, values: new Set(route.equals), dataset }]
      : [];
  });
  const fallback = datasets.find((d) => d.declaration.route.by === 'default');
  return { datasets, byPrefix, byField, fallback };
}
