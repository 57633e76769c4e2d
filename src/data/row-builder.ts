/**
 * Collects one row's (index, value) pairs straight into a shared slab and hands them out as views:
 * allocating two small typed arrays (each with its own backing store) per line cost more than
 * parsing the line, and building the row elsewhere first meant copying every entry once more. A
 * slab holds SLAB_ENTRIES entries (256 KiB per array); a row that outgrows what is left of one moves
 * to a new slab. An example kept alive keeps its slab alive, which is the price of the speed.
 * When the rows handed out are done with (recycle()), the slab is filled again from its start: new
 * memory is zeroed and mapped page by page, which costs more than filling it.
 */
const SLAB_ENTRIES = 1 << 16;

export class RowBuilder {
  private indices = new Uint32Array(0);
  private values = new Float32Array(0);
  /** The current row is slab[start, end). */
  private start = 0;
  private end = 0;
  /** Entries handed out since the last recycle(). */
  private taken = 0;

  reset(): void {
    this.end = this.start;
  }

  /**
   * The rows handed out so far will not be read again: the next rows reuse their memory. When they
   * needed more than one slab, the next slab holds that many at once.
   */
  recycle(): void {
    if (this.taken > this.indices.length) {
      const size = this.taken + (this.taken >>> 3);
      this.indices = new Uint32Array(size);
      this.values = new Float32Array(size);
    }
    this.start = 0;
    this.end = 0;
    this.taken = 0;
  }

  push(index: number, value: number): void {
    if (this.end === this.indices.length) this.newSlab();
    this.indices[this.end] = index;
    this.values[this.end] = value;
    this.end++;
  }

  /** The row's indices and values, as views of exactly its length. */
  take(): { indices: Uint32Array; values: Float32Array } {
    const indices = this.indices.subarray(this.start, this.end);
    const values = this.values.subarray(this.start, this.end);
    this.taken += this.end - this.start;
    this.start = this.end;
    return { indices, values };
  }

  /** A fresh slab with room for the current row twice over; the row's entries so far move along. */
  private newSlab(): void {
    const length = this.end - this.start;
    const size = Math.max(SLAB_ENTRIES, 2 * length);
    const indices = new Uint32Array(size);
    const values = new Float32Array(size);
    indices.set(this.indices.subarray(this.start, this.end));
    values.set(this.values.subarray(this.start, this.end));
    this.indices = indices;
    this.values = values;
    this.start = 0;
    this.end = length;
  }
}
