import type { Column, ColumnType, Field } from '../datasets/types';
import { SchemaViolationError } from './errors';
import {
  toBigint,
  toBoolean,
  toDateDays,
  toDecimal,
  toDouble,
  toInt,
  toText,
  toTimestampMicros,
} from './scalars';
import { stringifyUnmapped } from './unmapped';

/** Fields a record carries that its declaration does not know, by path. */
export type Unmapped = Map<string, unknown>;

type Coerce = (value: unknown, path: string, unmapped: Unmapped) => unknown;

/** A record coerced to its declared columns: values in column order, unknown fields as JSON. */
export interface CoercedRecord {
  readonly values: unknown[];
  readonly unmapped: string | null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value)
  );
}

function compileType(type: ColumnType): Coerce {
  if (typeof type === 'string') {
    const scalar = {
      string: toText,
      int: toInt,
      bigint: toBigint,
      double: toDouble,
      boolean: toBoolean,
      timestamp: toTimestampMicros,
      date: toDateDays,
    }[type];
    return (value, path) => scalar(value, path);
  }
  switch (type.kind) {
    case 'decimal':
      return (value, path) => toDecimal(value, path, type.precision, type.scale);
    case 'list': {
      const element = compileType(type.element);
      return (value, path, unmapped) => {
        if (!Array.isArray(value)) throw new SchemaViolationError(path, 'is not a list');
        return value.map((item, i) =>
          item === null || item === undefined ? null : element(item, `${path}[${i}]`, unmapped),
        );
      };
    }
    case 'map': {
      const entry = compileType(type.value);
      return (value, path, unmapped) => {
        if (!isPlainObject(value)) throw new SchemaViolationError(path, 'is not a map (an object)');
        return Object.entries(value).map(([key, item]) => ({
          key,
          value:
            item === null || item === undefined ? null : entry(item, `${path}.${key}`, unmapped),
        }));
      };
    }
    case 'struct': {
      const struct = compileFields(type.fields);
      return (value, path, unmapped) => {
        if (!isPlainObject(value))
          throw new SchemaViolationError(path, 'is not a struct (an object)');
        const values = struct(value, `${path}.`, unmapped);
        const result: Record<string, unknown> = {};
        type.fields.forEach((field, i) => {
          result[field.name] = values[i];
        });
        return result;
      };
    }
  }
}

/** Coerces an object's declared fields in order and records its other fields in `unmapped`. */
function compileFields(fields: readonly Field[]) {
  const known = new Set(fields.map((f) => f.name));
  const coercers = fields.map((field) => ({
    name: field.name,
    nullable: field.nullable !== false,
    coerce: compileType(field.type),
  }));
  return (object: Record<string, unknown>, prefix: string, unmapped: Unmapped): unknown[] => {
    const values = new Array<unknown>(coercers.length);
    let present = 0;
    coercers.forEach(({ name, nullable, coerce }, i) => {
      // Own properties only: a field named like an Object.prototype member is not inherited.
      const value = Object.hasOwn(object, name) ? object[name] : undefined;
      if (value !== undefined) present += 1;
      if (value === null || value === undefined) {
        if (!nullable)
          throw new SchemaViolationError(`${prefix}${name}`, 'is required but missing or null');
        values[i] = null;
      } else values[i] = coerce(value, `${prefix}${name}`, unmapped);
    });
    if (Object.keys(object).length !== present)
      for (const [key, value] of Object.entries(object))
        if (!known.has(key)) unmapped.set(`${prefix}${key}`, value);
    return values;
  };
}

/**
 * Builds the coercion of one dataset's records, once per cold start.
 * @throws SchemaViolationError (from the returned function) naming the first bad field
 */
export function compileRecordCoercion(
  columns: readonly Column[],
): (record: Record<string, unknown>) => CoercedRecord {
  const fields = compileFields(columns);
  return (record) => {
    const unmapped: Unmapped = new Map();
    const values = fields(record, '', unmapped);
    return { values, unmapped: unmapped.size === 0 ? null : stringifyUnmapped(unmapped) };
  };
}
