import type { Column, ColumnType, Field, ScalarType } from '../datasets/types';
import { SchemaViolationError } from './errors';
import { setDataProperty } from './json';
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

/** Fields a record carries that its declaration does not know: path and value, as found. */
type Unmapped = [path: string, value: unknown][];

/**
 * The coercion of one value. Paths are fixed when it is compiled: a value's path is written
 * relative to the list element or map value it sits in (or to the record, outside those), and
 * the list or map completes the path of an error or unknown field from inside, so no path is
 * built for a value that is fine.
 */
type Coerce = (value: unknown, unmapped: Unmapped) => unknown;

/**
 * A record coerced to its declared columns: values in column order, unknown fields as JSON.
 * Each value is null or in canonical form: scalars as `scalars.ts` says; a list an array of
 * its elements; a struct an array of its field values in declared order; a map an object whose
 * own enumerable properties are its entries. A list or map whose elements are canonical already
 * (strings, say) is the decoded array or object itself, not a copy.
 */
export interface CoercedRecord {
  readonly values: unknown[];
  readonly unmapped: string | null;
}

const SCALARS = {
  string: toText,
  int: toInt,
  bigint: toBigint,
  double: toDouble,
  boolean: toBoolean,
  timestamp: toTimestampMicros,
  date: toDateDays,
};

/** For the scalar types whose coercion returns some values as they are: which values those are. */
const AS_IS: Partial<Record<ScalarType, (value: unknown) => boolean>> = {
  string: (value) => typeof value === 'string',
  boolean: (value) => typeof value === 'boolean',
  double: (value) => typeof value === 'number' && Number.isFinite(value),
  int: (value) => typeof value === 'number' && (value | 0) === value,
  // -0 becomes 0.
  bigint: (value) => Number.isSafeInteger(value) && !Object.is(value, -0),
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value)
  );
}

/** Whether a value of the type may hold an object with fields of its own (a struct). */
function holdsStruct(type: ColumnType): boolean {
  if (typeof type === 'string' || type.kind === 'decimal') return false;
  if (type.kind === 'struct') return true;
  return holdsStruct(type.kind === 'list' ? type.element : type.value);
}

/** `error` from inside the element or value at `at`, its path completed. */
function completed(error: unknown, at: string): unknown {
  if (!(error instanceof SchemaViolationError)) return error;
  // The message is `${field}: ${detail}`.
  const detail = error.message.slice(error.field.length + 2);
  return new SchemaViolationError(`${at}${error.field}`, detail);
}

/** Completes the paths of the unknown fields found from `from` on, inside the value at `at`. */
function completePaths(unmapped: Unmapped, from: number, at: string): void {
  for (let i = from; i < unmapped.length; i += 1) {
    const entry = unmapped[i] as Unmapped[number];
    entry[0] = `${at}${entry[0]}`;
  }
}

/** Whether every element is null or else canonical already, by `asIs`. A hole is neither. */
function listHoldsOnly(list: readonly unknown[], asIs: (value: unknown) => boolean): boolean {
  for (let i = 0; i < list.length; i += 1) {
    const value: unknown = list[i];
    if (value !== null && !asIs(value)) return false;
  }
  return true;
}

/** Whether every enumerable property is null or else canonical already, by `asIs`. */
function mapHoldsOnly(map: Record<string, unknown>, asIs: (value: unknown) => boolean): boolean {
  for (const key in map) {
    const value = map[key];
    if (value !== null && !asIs(value)) return false;
  }
  return true;
}

/** The list itself when its elements are canonical already, else a copy with them coerced. */
function compileList(element: ColumnType, path: string): Coerce {
  const item = compileType(element, '');
  const nested = holdsStruct(element);
  const asIs = typeof element === 'string' ? AS_IS[element] : undefined;
  return (value, unmapped) => {
    if (!Array.isArray(value)) throw new SchemaViolationError(path, 'is not a list');
    if (asIs !== undefined && listHoldsOnly(value, asIs)) return value;
    let result: unknown[] | undefined;
    let i = 0;
    try {
      for (; i < value.length; i += 1) {
        const element: unknown = value[i];
        let coerced: unknown = null;
        if (element !== null && element !== undefined) {
          const before = unmapped.length;
          coerced = item(element, unmapped);
          if (nested && unmapped.length > before) completePaths(unmapped, before, `${path}[${i}]`);
        }
        // Object.is: a -0 that becomes 0 is a change.
        if (result !== undefined) result[i] = coerced;
        else if (!Object.is(coerced, element)) {
          result = value.slice();
          result[i] = coerced;
        }
      }
    } catch (error) {
      throw completed(error, `${path}[${i}]`);
    }
    return result ?? value;
  };
}

/** The map's object itself when its values are canonical already, else a copy with them coerced. */
function compileMap(valueType: ColumnType, path: string): Coerce {
  const entry = compileType(valueType, '');
  const nested = holdsStruct(valueType);
  const asIs = typeof valueType === 'string' ? AS_IS[valueType] : undefined;
  return (value, unmapped) => {
    if (!isPlainObject(value)) throw new SchemaViolationError(path, 'is not a map (an object)');
    if (asIs !== undefined && mapHoldsOnly(value, asIs)) return value;
    const keys = Object.keys(value);
    let result: Record<string, unknown> | undefined;
    let key = '';
    try {
      for (let i = 0; i < keys.length; i += 1) {
        key = keys[i] as string;
        const item = value[key];
        let coerced: unknown = null;
        if (item !== null && item !== undefined) {
          const before = unmapped.length;
          coerced = entry(item, unmapped);
          if (nested && unmapped.length > before) completePaths(unmapped, before, `${path}.${key}`);
        }
        if (result !== undefined) setDataProperty(result, key, coerced);
        else if (!Object.is(coerced, item)) {
          result = {};
          for (let j = 0; j < i; j += 1)
            setDataProperty(result, keys[j] as string, value[keys[j] as string]);
          setDataProperty(result, key, coerced);
        }
      }
    } catch (error) {
      throw completed(error, `${path}.${key}`);
    }
    return result ?? value;
  };
}

function compileStruct(fields: readonly Field[], path: string): Coerce {
  const struct = compileFields(fields, `${path}.`);
  return (value, unmapped) => {
    if (!isPlainObject(value)) throw new SchemaViolationError(path, 'is not a struct (an object)');
    return struct(value, unmapped);
  };
}

/** The coercion of a value of `type` at `path` (see `Coerce`). */
function compileType(type: ColumnType, path: string): Coerce {
  if (typeof type === 'string') {
    const scalar = SCALARS[type];
    return (value) => scalar(value, path);
  }
  switch (type.kind) {
    case 'decimal': {
      const { precision, scale } = type;
      return (value) => toDecimal(value, path, precision, scale);
    }
    case 'list':
      return compileList(type.element, path);
    case 'map':
      return compileMap(type.value, path);
    case 'struct':
      return compileStruct(type.fields, path);
  }
}

/** What the code `compileFields` generates calls, besides the coercions it is given. */
const HELPERS = { hasOwn: Object.hasOwn, keys: Object.keys, scalars: SCALARS, toDecimal };

/** The expression of generated code coercing `value` of `type` at `path`; `c<i>` is given. */
function coercionSource(type: ColumnType, path: string, i: number): string {
  const at = JSON.stringify(path);
  if (typeof type === 'string') return `scalars[${JSON.stringify(type)}](value, ${at})`;
  if (type.kind !== 'decimal') return `c${i}(value, unmapped)`;
  return `toDecimal(value, ${at}, ${JSON.stringify(type.precision)}, ${JSON.stringify(type.scale)})`;
}

/**
 * Coerces an object's declared fields in order and records its other fields in `unmapped`.
 * The function is generated, a statement per field with its name written out, so that each
 * property read and each call has a site of its own for the JIT to specialise (a loop over the
 * fields shares one site among all of them, at twice the cost). What comes from the declaration
 * enters the code only as JSON literals.
 */
function compileFields(
  fields: readonly Field[],
  prefix: string,
): (object: Record<string, unknown>, unmapped: Unmapped) => unknown[] {
  const known = new Set(fields.map((f) => f.name));
  const paths = fields.map((field) => `${prefix}${field.name}`);
  const coercions = fields.map((field, i) => compileType(field.type, paths[i] as string));
  const missing = (i: number): never => {
    throw new SchemaViolationError(paths[i] as string, 'is required but missing or null');
  };
  const collectUnknown = (object: Record<string, unknown>, unmapped: Unmapped): void => {
    for (const [key, value] of Object.entries(object))
      if (!known.has(key)) unmapped.push([`${prefix}${key}`, value]);
  };
  const statements = fields.map((field, i) => {
    const key = JSON.stringify(field.name);
    const absent = field.nullable === false ? `missing(${i})` : 'null';
    const coercion = coercionSource(field.type, paths[i] as string, i);
    return [
      // Own properties only: a field named like an Object.prototype member is not inherited.
      `value = hasOwn(object, ${key}) ? object[${key}] : undefined;`,
      'if (value !== undefined) present += 1;',
      `const v${i} = value === null || value === undefined ? ${absent} : ${coercion};`,
    ].join('\n');
  });
  const source = [
    "'use strict';",
    'const { hasOwn, keys, scalars, toDecimal } = helpers;',
    'return (object, unmapped) => {',
    'let present = 0;',
    'let value;',
    ...statements,
    'if (keys(object).length !== present) collectUnknown(object, unmapped);',
    `return [${fields.map((_, i) => `v${i}`).join(', ')}];`,
    '};',
  ].join('\n');
  const parameters = ['helpers', 'missing', 'collectUnknown', ...coercions.map((_, i) => `c${i}`)];
  return new Function(...parameters, source)(HELPERS, missing, collectUnknown, ...coercions);
}

/**
 * Builds the coercion of one dataset's records, once per cold start.
 * @throws SchemaViolationError (from the returned function) naming the first bad field
 */
export function compileRecordCoercion(
  columns: readonly Column[],
): (record: Record<string, unknown>) => CoercedRecord {
  const fields = compileFields(columns, '');
  return (record) => {
    const unmapped: Unmapped = [];
    const values = fields(record, unmapped);
    // A Map, as two unknown fields may share a path (`a.b` and field `b` of struct `a`).
    return {
      values,
      unmapped: unmapped.length === 0 ? null : stringifyUnmapped(new Map(unmapped)),
    };
  };
}
