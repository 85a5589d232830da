import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StringDictionary, sampledHash } from '../../../shared/parquet/string-dictionary';

/** Indexes `texts` as a dictionary column would: the index of each, added on first sight. */
function indexesOf(texts: readonly string[]): { indexes: number[]; entries: string[] } {
  const dictionary = new StringDictionary();
  const indexes = texts.map((text) => {
    const found = dictionary.indexOf(text);
    return found === -1 ? dictionary.add(text) : found;
  });
  return { indexes, entries: [...dictionary.entries] };
}

/** The same with a Map, the reference. */
function referenceOf(texts: readonly string[]): { indexes: number[]; entries: string[] } {
  const index = new Map<string, number>();
  const indexes = texts.map((text) => {
    let at = index.get(text);
    if (at === undefined) {
      at = index.size;
      index.set(text, at);
    }
    return at;
  });
  return { indexes, entries: [...index.keys()] };
}

describe('Class: StringDictionary', () => {
  it('indexes strings as a Map would, in order of first sight (property, fixed seed)', () => {
    // Prepare: short and long strings (the hash samples those over 16 characters), unicode,
    // empty, many repeats, and enough distinct ones to grow the table several times
    const text = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.string({ unit: 'grapheme', minLength: 15, maxLength: 60 }),
      fc.nat(5000).map((n) => `${'p'.repeat(30)}${n}${'s'.repeat(30)}`),
    );
    const texts = fc
      .array(text, { maxLength: 3000 })
      .chain((distinct) => fc.array(fc.constantFrom('', ...distinct), { maxLength: 6000 }));

    // Act & Assess
    fc.assert(
      fc.property(texts, (list) => {
        expect(indexesOf(list)).toEqual(referenceOf(list));
      }),
      { seed: 20261125, numRuns: 60 },
    );
  });

  it('looks at about two slots per lookup for ordinary strings, and counts every slot', () => {
    // Prepare: 10,000 distinct ids, then each again
    const ids = Array.from({ length: 10_000 }, (_, i) => `session-${i.toString(16)}-${i * 7}`);
    const dictionary = new StringDictionary();

    // Act
    for (const id of ids) if (dictionary.indexOf(id) === -1) dictionary.add(id);
    const again = ids.map((id) => dictionary.indexOf(id));

    // Assess
    expect(again).toEqual(ids.map((_, i) => i));
    expect(dictionary.probes).toBeGreaterThanOrEqual(2 * ids.length);
    expect(dictionary.probes).toBeLessThan(6 * ids.length);
  });

  it('hashes short strings whole and long ones by length and 16 characters, the last included', () => {
    // Assess: a short string's every character counts; a long one's unsampled ones do not
    expect(sampledHash('abcdefghijklmnop')).not.toBe(sampledHash('abcdefghijklmnoq'));
    expect(sampledHash('a'.repeat(200))).toBe(sampledHash(`a${'b'.repeat(5)}${'a'.repeat(194)}`));
    expect(sampledHash('a'.repeat(200))).not.toBe(sampledHash(`${'a'.repeat(199)}b`));
    expect(sampledHash('a'.repeat(200))).not.toBe(sampledHash('a'.repeat(201)));
  });
});
