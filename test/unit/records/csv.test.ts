import { describe, expect, it } from 'vitest';
import type { CsvFormat } from '../../../shared/datasets/types';
import { parseCsvRecord } from '../../../shared/records/csv';
import { BadCsvError } from '../../../shared/records/errors';

const positional: CsvFormat = {
  type: 'csv',
  delimiter: ',',
  header: false,
  fields: ['id', 'note', 'n'],
};
const headed: CsvFormat = { ...positional, delimiter: ';', header: true };
const parse = (format: CsvFormat, text: string) =>
  parseCsvRecord(format, Buffer.from(text, 'utf8'));

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof BadCsvError) return error.message;
    throw error;
  }
  throw new Error('expected a BadCsvError');
}

describe('Function: parseCsvRecord', () => {
  it('names positional fields; empty unquoted is null, quoted "" is the empty string', () => {
    // Act & Assess
    expect(parse(positional, 'a-1,"x, ""y""",\n')).toEqual({ id: 'a-1', note: 'x, "y"', n: null });
    expect(parse(positional, 'a-2,"",7')).toEqual({ id: 'a-2', note: '', n: '7' });
  });

  it('reads a header line when the format has one, in any field order', () => {
    // Act & Assess
    expect(parse(headed, 'n;id;extra\r\n7;a-1;z')).toEqual({ n: '7', id: 'a-1', extra: 'z' });
  });

  it.each([
    ['a,b', 'expected 3 fields, got 2'],
    ['a,b,c\nd,e,f', 'expected exactly one data row, got 2'],
    ['', 'expected exactly one data row, got 0'],
  ])('refuses %j', (text, message) => {
    expect(messageOf(() => parse(positional, text))).toBe(message);
  });

  it('refuses broken quoting and a header naming a field twice', () => {
    expect(messageOf(() => parse(positional, 'a,"b,c'))).toMatch(/^not CSV: Quote Not Closed/);
    expect(messageOf(() => parse(headed, 'id;id\n1;2'))).toBe(
      'the header line must name every field once',
    );
  });
});
