import type { Column, DatasetDeclaration } from './types';

/**
 * Fields the declaration does not know, kept as one JSON object keyed by the field's path
 * (`extra`, `page.title`, `items[2].note`). Null when a record has none. Numbers keep their exact
 * digits.
 */
export const UNMAPPED_COLUMN: Column = {
  name: '_unmapped',
  type: 'string',
  nullable: true,
  comment: 'JSON object of fields the dataset declaration does not know, keyed by field path',
};

/** Where each row came from. Names start with `_`, which declared columns may not. */
export const LINEAGE_COLUMNS: readonly Column[] = [
  { name: '_shard_id', type: 'string', nullable: false, comment: 'Kinesis shard id' },
  {
    name: '_sequence_number',
    type: 'string',
    nullable: false,
    comment: 'Kinesis sequence number (decimal digits; compare as a number, not as text)',
  },
  {
    name: '_sub_sequence_number',
    type: 'bigint',
    nullable: true,
    comment: 'Position of the user record inside a KPL-aggregated record; null otherwise',
  },
  {
    name: '_approximate_arrival',
    type: 'timestamp',
    nullable: false,
    comment: 'When Kinesis accepted the record (UTC)',
  },
  {
    name: '_ingested_at',
    type: 'timestamp',
    nullable: false,
    comment: 'When ingest read the batch (UTC)',
  },
];

/**
 * Every column of the dataset's lake table in file order: declared columns, `_unmapped`, then the
 * lineage columns. Partition keys are not in the files; they are the Hive path segments.
 */
export function tableColumnsOf(dataset: DatasetDeclaration): readonly Column[] {
  return [...dataset.columns, UNMAPPED_COLUMN, ...LINEAGE_COLUMNS];
}
