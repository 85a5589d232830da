import { ListObjectsV2Command, type ListObjectsV2CommandInput, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * Answers ListObjectsV2 over a fixed set of keys the way S3 documents it: keys under `Prefix`,
 * rolled up into CommonPrefixes at the next `Delimiter`, at most `pageSize` entries per page.
 */
export function fakeLake(keys: readonly string[], pageSize = 1000) {
  const s3 = mockClient(S3Client);
  s3.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => {
    const prefix = input.Prefix ?? '';
    const entries = new Set<string>();
    for (const key of [...keys].sort()) {
      if (!key.startsWith(prefix)) continue;
      const rest = key.slice(prefix.length);
      const cut = input.Delimiter ? rest.indexOf(input.Delimiter) : -1;
      entries.add(cut >= 0 ? `P:${prefix}${rest.slice(0, cut + 1)}` : `K:${key}`);
    }
    const all = [...entries];
    const start = Number(input.ContinuationToken ?? 0);
    const page = all.slice(start, start + pageSize);
    const more = start + pageSize < all.length;
    return {
      CommonPrefixes: page.filter((e) => e.startsWith('P:')).map((e) => ({ Prefix: e.slice(2) })),
      Contents: page.filter((e) => e.startsWith('K:')).map((e) => ({ Key: e.slice(2) })),
      IsTruncated: more,
      NextContinuationToken: more ? String(start + pageSize) : undefined,
    };
  });
  return s3;
}
