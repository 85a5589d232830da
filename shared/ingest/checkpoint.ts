/**
 * Which records of a batch to report as failed, so that retries neither lose nor duplicate rows.
 *
 * Setting. Within one shard, records r0 < r1 < … arrive in sequence order. Lambda delivers a
 * batch as the records from its checkpoint K onwards (any number of them), one batch in flight
 * per shard (ParallelizationFactor 1). If the response lists failures, Lambda moves K to the
 * LOWEST listed record and redelivers from there, later successes included, in batches of any
 * size; with no failures K moves past the batch; a crash or timeout leaves K where it was.
 * Decoding is deterministic: the same record always yields the same rows and poison units,
 * each belonging to a group G = (raw, dataset, partition) or (quarantine, dataset, arrival day).
 *
 * Naming. A batch writes one object per group it touches, holding that group's units from the
 * batch, named after the group and the FIRST record of the batch that has a unit in the group
 * (`shared/lake/keys.ts`). So the name depends on where the batch starts, never on where it ends.
 *
 * Rule. After the writes, let C be the first record at or after which anything is not durably
 * written: the first record of a group whose PutObject failed, or a record that failed to decode.
 * Then, while some written group starts before C and ends at or after C, move C back to that
 * group's first record. Report every record from C on. Groups ending before C are COMMITTED;
 * groups starting at or after C are PROVISIONAL.
 *
 * Claim: at every moment each unit is in at most one object, and every unit of a record
 * before K is in exactly one object. Proof sketch, by induction over invocations:
 * 1. A provisional object named (G, p) was written by a batch starting at S <= K <= p with no
 *    unit of G in records [S, p). K only grows and stays <= p until a batch containing p ends,
 *    so any later batch that contains p starts in [S, p] and names its G-object p again: the
 *    same key, which it overwrites. Hence at most one provisional object per group exists, under
 *    the name the next batch reaching p will use.
 * 2. A batch that moves K past p had its G-object written (otherwise C <= p), so it rewrote the
 *    object named p, and by the rule every unit in it is before the new K: it is committed, and
 *    no later batch (all start at K > p) writes that name again.
 * 3. Committed objects hold disjoint runs of records before K: a batch commits the G-units of
 *    [its start, C) and the next batch starts at C. Provisional objects hold only records at or
 *    after K. So no unit is in two objects.
 * 4. The straddle step is what rules out the duplicate a naive rule creates: a written group
 *    spanning C would be redelivered from C under a different first record, hence a new name,
 *    while the old object still held the same units.
 * 5. When K passes a record, each of its units is in the committed object of its group, so
 *    nothing before the checkpoint is missing.
 * Limits: the redelivery must decode as before (a deploy that changes a dataset declaration or the
 * size bound between a partial failure and its retry can regroup records); records Lambda discards
 * after MaximumRetryAttempts or MaximumRecordAgeInSeconds are lost to the lake and reported to the
 * on-failure queue; a provisional object of a discarded batch may still hold their units, and,
 * when an earlier attempt of a larger batch wrote it before the batch was bisected, units of later
 * records too, which the shard then commits under other names (a duplicate until the redrive of
 * the discarded range rewrites that object).
 * `test/unit/ingest/redelivery.test.ts` checks the claim against a simulated Lambda.
 */

/** The record range [first, last] (positions in the shard's batch) a group covers, and its fate. */
export interface GroupSpan {
  readonly first: number;
  readonly last: number;
  readonly written: boolean;
}

/**
 * The position of the first record to report as failed (the checkpoint), or `recordCount` when
 * every record is committed.
 * @param undecodedFrom position of the first record that failed to decode (`recordCount` if none);
 *   groups must hold only records before it
 * @example checkpointOf([{ first: 0, last: 2, written: true }, { first: 1, last: 1, written: false }], 3, 3) // 0
 */
export function checkpointOf(
  spans: readonly GroupSpan[],
  recordCount: number,
  undecodedFrom: number,
): number {
  let checkpoint = undecodedFrom;
  for (const span of spans) if (!span.written) checkpoint = Math.min(checkpoint, span.first);
  if (checkpoint >= recordCount) return recordCount;
  for (let moved = true; moved; ) {
    moved = false;
    for (const span of spans)
      if (span.first < checkpoint && span.last >= checkpoint) {
        checkpoint = span.first;
        moved = true;
      }
  }
  return checkpoint;
}
