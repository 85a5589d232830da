import { StreamlakeError } from '../errors';
import { type ColumnType, type DatasetDeclaration, type Field, partitionKeysOf } from './types';

/** A dataset declaration (or the set of them) is inconsistent; raised at cold start and in tests. */
export class DatasetDeclarationError extends StreamlakeError {
  constructor(
    readonly dataset: string,
    readonly problems: readonly string[],
  ) {
    super(`dataset ${dataset}: ${problems.join('; ')}`);
  }
}

const TABLE_NAME = /^[a-z][a-z0-9_]{0,127}$/;
/**
 * The partition part sequences that name one period each, coarse to fine and without a gap, as the
 * lake layout, partition projection and the freshness watchdog read them (`month=02/hour=05` would
 * hold the 05:00 hour of every day of February).
 */
const PARTITION_PART_SEQUENCES: readonly string[] = ['date', 'date,hour', 'year', 'year,month'];

const COLUMN_NAME = /^[a-z][a-z0-9_]{0,127}$/;

function typeProblems(type: ColumnType, path: string): string[] {
  if (typeof type === 'string') return [];
  switch (type.kind) {
    case 'decimal': {
      const { precision: p, scale: s } = type;
      const ok =
        Number.isInteger(p) && Number.isInteger(s) && p >= 1 && p <= 38 && s >= 0 && s <= p;
      return ok
        ? []
        : [`${path}: decimal(${p},${s}) needs 1 <= precision <= 38, 0 <= scale <= precision`];
    }
    case 'list':
      return typeProblems(type.element, `${path}[]`);
    case 'map':
      return typeProblems(type.value, `${path}{}`);
    case 'struct':
      return fieldProblems(type.fields, `${path}.`);
  }
}

function fieldProblems(fields: readonly Field[], prefix: string): string[] {
  const problems: string[] = [];
  if (fields.length === 0) problems.push(`${prefix || 'columns'}: no fields`);
  const seen = new Set<string>();
  for (const field of fields) {
    if (!COLUMN_NAME.test(field.name))
      problems.push(`${prefix}${field.name}: names are lowercase letters, digits, _ (not leading)`);
    if (seen.has(field.name)) problems.push(`${prefix}${field.name}: declared twice`);
    if (field.comment !== undefined && /[\r\n]/.test(field.comment))
      problems.push(`${prefix}${field.name}: a comment is one line (a Glue column comment)`);
    seen.add(field.name);
    problems.push(...typeProblems(field.type, `${prefix}${field.name}`));
  }
  return problems;
}

function formatProblems(dataset: DatasetDeclaration): string[] {
  const { format } = dataset;
  const problems: string[] = [];
  if (format.type === 'csv') {
    if (format.delimiter.length !== 1 || /["\r\n]/.test(format.delimiter))
      problems.push('csv delimiter must be one character other than a quote or newline');
    if (format.fields.length === 0 || new Set(format.fields).size !== format.fields.length)
      problems.push('csv fields must be a non-empty list of distinct names');
    for (const column of dataset.columns)
      if (typeof column.type !== 'string' && column.type.kind !== 'decimal')
        problems.push(`${column.name}: csv columns must be scalar or decimal`);
  }
  if (dataset.route.by === 'field' && format.type !== 'json')
    problems.push('routing by field value needs the json format');
  return problems;
}

/**
 * Every inconsistency in one declaration, as readable sentences.
 * @throws DatasetDeclarationError listing them all
 */
export function validateDataset(dataset: DatasetDeclaration): void {
  const problems: string[] = [];
  if (!TABLE_NAME.test(dataset.name)) problems.push('name: lowercase letters, digits and _ only');
  problems.push(...fieldProblems(dataset.columns, ''));
  problems.push(...formatProblems(dataset));
  const columns = new Map(dataset.columns.map((c) => [c.name, c]));
  const eventTime = columns.get(dataset.eventTime);
  if (eventTime?.type !== 'timestamp' || eventTime.nullable !== false)
    problems.push(`eventTime ${dataset.eventTime}: must name a non-nullable timestamp column`);
  const keys = partitionKeysOf(dataset);
  if (keys.length === 0) problems.push('partitionKeys: at least one');
  for (const key of keys)
    if (!COLUMN_NAME.test(key.name) || columns.has(key.name))
      problems.push(`partition key ${key.name}: must be a valid name that is not a column`);
  if (new Set(keys.map((k) => k.name)).size !== keys.length)
    problems.push('partitionKeys: names must be distinct');
  const parts = keys.map((k) => k.part).join(',');
  if (keys.length > 0 && !PARTITION_PART_SEQUENCES.includes(parts))
    problems.push(
      `partitionKeys: parts ${parts} are not one period, coarse to fine, without a gap ` +
        `(one of ${PARTITION_PART_SEQUENCES.map((p) => `[${p}]`).join(', ')})`,
    );
  if (dataset.recordKey.length === 0) problems.push('recordKey: at least one column');
  for (const name of dataset.recordKey)
    if (!columns.has(name)) problems.push(`recordKey ${name}: not a column`);
  const route = dataset.route;
  if (route.by === 'partition-key-prefix' && route.prefix === '')
    problems.push('route prefix must not be empty');
  if (route.by === 'field' && route.equals.length === 0)
    problems.push('route by field needs at least one value');
  if (problems.length > 0) throw new DatasetDeclarationError(dataset.name, problems);
}

/**
 * Validates each declaration and the set: distinct names, at most one default route, no
 * partition-key prefix that is a prefix of another, no field value routed to two datasets.
 * @throws DatasetDeclarationError
 */
export function validateRegistry(datasets: readonly DatasetDeclaration[]): void {
  for (const dataset of datasets) validateDataset(dataset);
  const problems: string[] = [];
  const names = datasets.map((d) => d.name);
  if (new Set(names).size !== names.length) problems.push('dataset names must be distinct');
  if (datasets.filter((d) => d.route.by === 'default').length > 1)
    problems.push('at most one dataset may be the default route');
  const prefixes = datasets.flatMap((d) =>
    d.route.by === 'partition-key-prefix' ? [d.route.prefix] : [],
  );
  for (const a of prefixes)
    for (const b of prefixes)
      if (a !== b && b.startsWith(a)) problems.push(`route prefixes overlap: ${a} and ${b}`);
  if (new Set(prefixes).size !== prefixes.length) problems.push('route prefixes must be distinct');
  const fieldValues = new Set<string>();
  for (const d of datasets)
    if (d.route.by === 'field')
      for (const value of d.route.equals) {
        const key = `${d.route.field}=${value}`;
        if (fieldValues.has(key)) problems.push(`field route ${key} is claimed twice`);
        fieldValues.add(key);
      }
  if (problems.length > 0) throw new DatasetDeclarationError('(registry)', problems);
}
