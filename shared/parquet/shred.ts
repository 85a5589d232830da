import type { ColumnType, Field } from '../datasets/types';
import {
  BooleanValues,
  DecimalValues,
  DoubleValues,
  grown,
  INITIAL_CAPACITY,
  Int32Values,
  Int64Values,
  type LeafValues,
  StringValues,
} from './leaf-values';
import { decimalByteLength, type PhysicalType } from './schema';

/**
 * Record shredding (the Dremel algorithm Parquet is built on): nested values become, per leaf
 * column, a sequence of (repetition level, definition level[, value]) triples. The shredder is
 * generated once per file layout, so the levels a path reaches are constants in its code and the
 * per-value work is a level store and a value append.
 * https://parquet.apache.org/docs/file-format/nestedencoding/
 */

/** One leaf column of a file being written: its levels and values. */
export class LeafColumn {
  definitions = new Uint8Array(INITIAL_CAPACITY);
  repetitions = new Uint8Array(INITIAL_CAPACITY);
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
      this.definitions = grown(this.definitions, this.levels + 1);
      this.repetitions = grown(this.repetitions, this.levels + 1);
    }
    this.definitions[this.levels] = definition;
    this.repetitions[this.levels] = repetition;
    this.levels += 1;
  }
}

/** Shreds one row (a value per top-level column, in column order) into the leaf columns. */
export type ShredRow = (row: ArrayLike<unknown>) => void;

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

function notCanonical(path: string, value: unknown, what: string): never {
  throw new TypeError(`${path}: expected ${what}, got ${typeof value}`);
}

/** A leaf column of a layout: its path, declared type and maximum levels. */
interface LeafSpec {
  readonly path: readonly string[];
  readonly type: ColumnType;
  readonly maxDefinition: number;
  readonly maxRepetition: number;
}

/** Generates the statements shredding one node; collects its leaves in schema order. */
class ShredderSource {
  /** What each leaf is; a file's leaves are made from these. */
  readonly leaves: LeafSpec[] = [];
  private names = 0;

  fresh(prefix: string): string {
    this.names += 1;
    return `${prefix}${this.names}`;
  }

  /**
   * Statements shredding the value in variable `value` of a node of `type`. `rep` is the
   * expression of the repetition level its first leaf gets; `parentDefinition` the definition
   * level reached when the parent is present; `depth` the repetition level of the innermost
   * enclosing list or map. Returns the statements and the indexes of the node's leaves.
   */
  node(
    type: ColumnType,
    nullable: boolean,
    path: readonly string[],
    value: string,
    rep: string,
    parentDefinition: number,
    depth: number,
  ): { code: string; leaves: number[] } {
    const definition = parentDefinition + (nullable ? 1 : 0);
    const where = JSON.stringify(path.join('.'));
    const levels = (leaves: number[], level: number) =>
      leaves.map((k) => `L${k}.level(${rep}, ${level});`).join(' ');
    const absent = (leaves: number[]) =>
      nullable
        ? levels(leaves, parentDefinition)
        : `fail(${where}, ${value}, 'a value (the field is required)');`;
    if (typeof type === 'string' || type.kind === 'decimal') {
      const k = this.leaves.length;
      this.leaves.push({ path, type, maxDefinition: definition, maxRepetition: depth });
      const code = `if (${value} === null || ${value} === undefined) { ${absent([k])} } else { L${k}.level(${rep}, ${definition}); V${k}.push(${value}); }`;
      return { code, leaves: [k] };
    }
    switch (type.kind) {
      case 'struct': {
        const isArray = this.fresh('isArray');
        const children = type.fields.map((field, i) => {
          const child = this.fresh('field');
          const name = JSON.stringify(field.name);
          const read = `const ${child} = ${isArray} ? ${value}[${i}] : hasOwn(${value}, ${name}) ? ${value}[${name}] : null;`;
          const node = this.node(
            field.type,
            field.nullable !== false,
            [...path, field.name],
            child,
            rep,
            definition,
            depth,
          );
          return { code: `{ ${read} ${node.code} }`, leaves: node.leaves };
        });
        const leaves = children.flatMap((c) => c.leaves);
        const code = `if (${value} === null || ${value} === undefined) { ${absent(leaves)} } else if (typeof ${value} !== 'object') { fail(${where}, ${value}, 'a struct (an array or object)'); } else { const ${isArray} = isArray(${value}); ${children.map((c) => c.code).join(' ')} }`;
        return { code, leaves };
      }
      case 'list': {
        const inner = depth + 1;
        const i = this.fresh('i');
        const item = this.fresh('item');
        const itemRep = this.fresh('rep');
        const element = this.node(
          type.element,
          true,
          [...path, 'list', 'element'],
          item,
          itemRep,
          definition + 1,
          inner,
        );
        const { leaves } = element;
        const code = `if (${value} === null || ${value} === undefined) { ${absent(leaves)} } else if (!isArray(${value})) { fail(${where}, ${value}, 'a list (an array)'); } else if (${value}.length === 0) { ${levels(leaves, definition)} } else { for (let ${i} = 0; ${i} < ${value}.length; ${i} += 1) { const ${itemRep} = ${i} === 0 ? ${rep} : ${inner}; const ${item} = ${value}[${i}]; ${element.code} } }`;
        return { code, leaves };
      }
      case 'map': {
        const inner = depth + 1;
        const i = this.fresh('i');
        const keys = this.fresh('keys');
        const key = this.fresh('key');
        const item = this.fresh('item');
        const entryRep = this.fresh('rep');
        const keyNode = this.node(
          'string',
          false,
          [...path, 'key_value', 'key'],
          key,
          entryRep,
          definition + 1,
          inner,
        );
        const itemNode = this.node(
          type.value,
          true,
          [...path, 'key_value', 'value'],
          item,
          entryRep,
          definition + 1,
          inner,
        );
        const leaves = [...keyNode.leaves, ...itemNode.leaves];
        const entries = `${keyNode.code} ${itemNode.code}`;
        const code = `if (${value} === null || ${value} === undefined) { ${absent(leaves)} } else if (isArray(${value})) { if (${value}.length === 0) { ${levels(leaves, definition)} } else { for (let ${i} = 0; ${i} < ${value}.length; ${i} += 1) { const ${entryRep} = ${i} === 0 ? ${rep} : ${inner}; const ${key} = ${value}[${i}].key; const ${item} = ${value}[${i}].value; ${entries} } } } else if (typeof ${value} === 'object') { const ${keys} = objectKeys(${value}); if (${keys}.length === 0) { ${levels(leaves, definition)} } else { for (let ${i} = 0; ${i} < ${keys}.length; ${i} += 1) { const ${entryRep} = ${i} === 0 ? ${rep} : ${inner}; const ${key} = ${keys}[${i}]; const ${item} = ${value}[${key}]; ${entries} } } } else { fail(${where}, ${value}, 'a map (entries or an object)'); }`;
        return { code, leaves };
      }
    }
  }
}

type ShredderFactory = (...leavesAndValues: unknown[]) => ShredRow;

/** Generated once per table layout; each file binds it to leaves of its own. */
const layouts = new WeakMap<readonly Field[], { specs: LeafSpec[]; factory: ShredderFactory }>();

function layoutOf(fields: readonly Field[]): { specs: LeafSpec[]; factory: ShredderFactory } {
  const known = layouts.get(fields);
  if (known) return known;
  const source = new ShredderSource();
  const statements = fields.map((field, c) => {
    const value = `column${c}`;
    const node = source.node(field.type, field.nullable !== false, [field.name], value, '0', 0, 0);
    return `{ const ${value} = row[${c}]; ${node.code} }`;
  });
  const specs = source.leaves;
  const leafNames = specs.flatMap((_, k) => [`L${k}`, `V${k}`]);
  const body = `'use strict'; return (${leafNames.join(', ')}) => (row) => { ${statements.join('\n')} };`;
  const factory = new Function('fail', 'isArray', 'hasOwn', 'objectKeys', body)(
    notCanonical,
    Array.isArray,
    Object.hasOwn,
    Object.keys,
  ) as ShredderFactory;
  const layout = { specs, factory };
  layouts.set(fields, layout);
  return layout;
}

/**
 * The leaf columns of a new file of a table, in schema order, and the function shredding a row
 * into them. The function is generated (once per layout), one statement per field with the
 * leaves it writes named, so that every level store and value append is a call site of its own
 * that the JIT specialises (closures shared between fields measured ~2x slower). What comes from
 * the declaration enters the code only as JSON literals; the leaves are parameters.
 */
export function compileShredding(fields: readonly Field[]): {
  readonly leaves: readonly LeafColumn[];
  readonly shred: ShredRow;
} {
  const { specs, factory } = layoutOf(fields);
  const leaves = specs.map((spec) => {
    const { physical, values } = leafOf(spec.type);
    return new LeafColumn(spec.path, physical, spec.maxDefinition, spec.maxRepetition, values);
  });
  const shred = factory(...leaves.flatMap((leaf) => [leaf, leaf.values]));
  return { leaves, shred };
}
