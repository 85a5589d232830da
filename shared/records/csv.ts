import { parse } from 'csv-parse/sync';
import type { CsvFormat } from '../datasets/types';
import { BadCsvError } from './errors';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function rowsOf(format: CsvFormat, text: string): (string | null)[][] {
  try {
    return parse(text, {
      delimiter: format.delimiter,
      skip_empty_lines: true,
      relax_column_count: true,
      // An empty unquoted field is null; a quoted empty field ("") is the empty string.
      cast: (value, context) => (value === '' && !context.quoting ? null : value),
    }) as (string | null)[][];
  } catch (error) {
    throw new BadCsvError(`not CSV: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Parses one CSV user record into an object keyed by field name: the record holds one data
 * row, preceded by a header line when the format says so. Values stay text (or null for an
 * empty unquoted field); the dataset's coercion types them.
 * @throws BadCsvError naming the problem (encoding, quoting, row or field count, header)
 */
export function parseCsvRecord(
  format: CsvFormat,
  bytes: Uint8Array,
): Record<string, string | null> {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (error) {
    throw new BadCsvError('payload is not valid UTF-8', { cause: error });
  }
  const rows = rowsOf(format, text);
  const [names, ...data] = format.header ? rows : [format.fields, ...rows];
  if (!names || names.some((name) => name === null) || new Set(names).size !== names.length)
    throw new BadCsvError('the header line must name every field once');
  if (data.length !== 1) throw new BadCsvError(`expected exactly one data row, got ${data.length}`);
  const [row = []] = data;
  if (row.length !== names.length)
    throw new BadCsvError(`expected ${names.length} fields, got ${row.length}`);
  const record: Record<string, string | null> = {};
  names.forEach((name, i) => {
    record[name as string] = row[i] ?? null;
  });
  return record;
}
