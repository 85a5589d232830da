import type { ColumnType, Field } from '../datasets/types';
import {
  BooleanValues,
  DecimalValues,
  DoubleValues,
  Int32Values,
  Int64Values,
  type LeafValues,
  StringValues,
} from './leaf-values';
import { decimalByteLength, type PhysicalType } from './schema';

/**
 * Record shredding (the Dremel algorithm Parquet is built on): nested values become, per leaf
 * column, a sequence of (repetition level, definition level[, value]) triples. The writers are
 * compiled once per table layout, so the levels a path reaches are constants in closures and the
 * per-value work is a level store and a value append.
 * https://parquet.apache.org/docs/file-format/nestedencoding/
 */

/** One leaf column of a file being written: its levels and values. */
export class LeafColumn {
  definitions = new Uint8Array(1024);
  repetitions = new Uint8Array(1024);
  levels = 0;

  constructor(
    readonly path: readonly string[],
    readonly physical: PhysicalType,
    readonly maxDefinition: number,
    readonly maxRepetition: number,
    readonly values: LeafValues,
  ) {}

  level(repetition: number, definition: number): void {
    if (this.levels === this.definitions.length) {
      const definitions = new Uint8Array(this.levels * 2);
      definitions.set(this.definitions);
      this.definitions = definitions;
      const repetitions = new Uint8Array(this.levels * 2);
      repetitions.set(this.repetitions);
      this.repetitions = repetitions;
    }
    this.definitions[this.levels] = definition;
    this.repetitions[this.levels] = repetition;
    this.levels += 1;
  }

  reset(): void {
    this.levels = 0;
    this.values.reset();
  }
}

/** Shreds one value of a column (or nested field); `repetition` is the level its first leaf gets. */
export type ShredValue = (value: unknown, repetition: number) => void;

interface ShredNode {
  readonly write: ShredValue;
  readonly leaves: readonly LeafColumn[];
}

function leafOf(type: ColumnType): { physical: PhysicalType; values: LeafValues } {
  if (typeof type !== 'string') {
    if (type.kind !== 'decimal') throw new Error(`not a scalar: ${type.kind}`);
    const width = decimalByteLength(type.precision);
    return { physical: 'FIXED_LEN_BYTE_ARRAY', values: new DecimalValues(width) };
  }
  switch (type) {
    case 'string':
      return { physical: 'BYTE_ARRAY', values: new StringValues() };
    case 'int':
    case 'date':
      return { physical: 'INT32', values: new Int32Values() };
    case 'bigint':
    case 'timestamp':
      return { physical: 'INT64', values: new Int64Values() };
    case 'double':
      return { physical: 'DOUBLE', values: new DoubleValues() };
    case 'boolean':
      return { physical: 'BOOLEAN', values: new BooleanValues() };
  }
}

function allAbsent(leaves: readonly LeafColumn[], repetition: number, definition: number): void {
  for (const leaf of leaves) leaf.level(repetition, definition);
}

function notCanonical(path: readonly string[], value: unknown, what: string): never {
  throw new TypeError(`${path.join('.')}: expected ${what}, got ${typeof value}`);
}

/**
 * Compiles the writer of a node. `parentDefinition` is the definition level reached when the
 * parent is present; `depth` is the repetition level of the innermost enclosing list or map.
 */
function compileNode(
  type: ColumnType,
  nullable: boolean,
  path: readonly string[],
  parentDefinition: number,
  depth: number,
  out: LeafColumn[],
): ShredNode {
  const definition = parentDefinition + (nullable ? 1 : 0);
  const absent = (leaves: readonly LeafColumn[], value: unknown, repetition: number): void => {
    if (!nullable) notCanonical(path, value, 'a value (the field is required)');
    allAbsent(leaves, repetition, parentDefinition);
  };
  if (typeof type === 'string' || type.kind === 'decimal') {
    const { physical, values } = leafOf(type);
    const leaf = new LeafColumn(path, physical, definition, depth, values);
    out.push(leaf);
    const leaves = [leaf];
    return {
      leaves,
      write: (value, repetition) => {
        if (value === null || value === undefined) absent(leaves, value, repetition);
        else {
          leaf.level(repetition, definition);
          values.push(value);
        }
      },
    };
  }
  switch (type.kind) {
    case 'struct': {
      const children = type.fields.map((field) =>
        compileNode(
          field.type,
          field.nullable !== false,
          [...path, field.name],
          definition,
          depth,
          out,
        ),
      );
      const names = type.fields.map((field) => field.name);
      const leaves = children.flatMap((child) => child.leaves);
      return {
        leaves,
        write: (value, repetition) => {
          if (value === null || value === undefined) absent(leaves, value, repetition);
          else if (Array.isArray(value))
            for (let i = 0; i < children.length; i += 1)
              (children[i] as ShredNode).write(value[i], repetition);
          else if (typeof value === 'object') {
            const object = value as Record<string, unknown>;
            for (let i = 0; i < children.length; i += 1)
              (children[i] as ShredNode).write(
                Object.hasOwn(object, names[i] as string) ? object[names[i] as string] : null,
                repetition,
              );
          } else notCanonical(path, value, 'a struct (an array or object)');
        },
      };
    }
    case 'list': {
      const inner = depth + 1;
      const element = compileNode(
        type.element,
        true,
        [...path, 'list', 'element'],
        definition + 1,
        inner,
        out,
      );
      const leaves = element.leaves;
      return {
        leaves,
        write: (value, repetition) => {
          if (value === null || value === undefined) return absent(leaves, value, repetition);
          if (!Array.isArray(value)) notCanonical(path, value, 'a list (an array)');
          if (value.length === 0) return allAbsent(leaves, repetition, definition);
          element.write(value[0], repetition);
          for (let i = 1; i < value.length; i += 1) element.write(value[i], inner);
        },
      };
    }
    case 'map': {
      const inner = depth + 1;
      const key = compileNode(
        'string',
        false,
        [...path, 'key_value', 'key'],
        definition + 1,
        inner,
        out,
      );
      const item = compileNode(
        type.value,
        true,
        [...path, 'key_value', 'value'],
        definition + 1,
        inner,
        out,
      );
      const leaves = [...key.leaves, ...item.leaves];
      return {
        leaves,
        write: (value, repetition) => {
          if (value === null || value === undefined) return absent(leaves, value, repetition);
          if (Array.isArray(value)) {
            if (value.length === 0) return allAbsent(leaves, repetition, definition);
            for (let i = 0; i < value.length; i += 1) {
              const entry = value[i] as { key: unknown; value: unknown };
              key.write(entry.key, i === 0 ? repetition : inner);
              item.write(entry.value, i === 0 ? repetition : inner);
            }
          } else if (typeof value === 'object') {
            const object = value as Record<string, unknown>;
            const keys = Object.keys(object);
            if (keys.length === 0) return allAbsent(leaves, repetition, definition);
            for (let i = 0; i < keys.length; i += 1) {
              const name = keys[i] as string;
              key.write(name, i === 0 ? repetition : inner);
              item.write(object[name], i === 0 ? repetition : inner);
            }
          } else notCanonical(path, value, 'a map (entries or an object)');
        },
      };
    }
  }
}

/** The leaf columns of a table, in schema order, and a writer per top-level column. */
export function compileShredding(fields: readonly Field[]): {
  readonly leaves: readonly LeafColumn[];
  readonly columns: readonly ShredValue[];
} {
  const leaves: LeafColumn[] = [];
  const columns = fields.map(
    (field) => compileNode(field.type, field.nullable !== false, [field.name], 0, 0, leaves).write,
  );
  return { leaves, columns };
}
