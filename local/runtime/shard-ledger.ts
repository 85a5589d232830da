/**
 * Which records of a shard are done (committed by a successful invocation, or discarded) and so
 * where the shard's checkpoint is: the last record before which every record is done. With
 * `ParallelizationFactor` > 1 records finish out of order across slots; the checkpoint is still
 * per shard, as Lambda keeps it.
 */
export class ShardLedger {
  private done: boolean[] = [];
  private sequenceNumbers: string[] = [];
  /** Ledger position of `done[0]`. */
  private base = 0;
  /** Index in `done` of the first record not done. */
  private head = 0;
  private lastCheckpoint: string | undefined;

  /** Registers the next record read from the shard; returns its ledger position. */
  add(sequenceNumber: string): number {
    this.done.push(false);
    this.sequenceNumbers.push(sequenceNumber);
    return this.base + this.done.length - 1;
  }

  /** Marks a record done and moves the checkpoint over every leading done record. */
  markDone(position: number): void {
    const offset = position - this.base;
    if (offset < this.head || offset >= this.done.length) return;
    this.done[offset] = true;
    const before = this.head;
    while (this.head < this.done.length && this.done[this.head]) this.head += 1;
    if (this.head === before) return;
    this.lastCheckpoint = this.sequenceNumbers[this.head - 1];
    if (this.head >= 4096 && this.head * 2 >= this.done.length) {
      this.done = this.done.slice(this.head);
      this.sequenceNumbers = this.sequenceNumbers.slice(this.head);
      this.base += this.head;
      this.head = 0;
    }
  }

  /** The sequence number of the last record the checkpoint has passed, if any. */
  get checkpoint(): string | undefined {
    return this.lastCheckpoint;
  }

  /** Records read but not yet done. */
  get outstanding(): number {
    return this.done.length - this.head;
  }
}
