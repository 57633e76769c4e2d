/**
 * Collects one row's (index, value) pairs in reusable scratch arrays, then hands them out as views
 * into a shared slab: allocating two small typed arrays (each with its own backing store) per line
 * cost more than parsing the line. A slab holds SLAB_ENTRIES entries (256 KiB per array); an
 * example kept alive keeps its slab alive, which is the price of the speed.
 */
const SLAB_ENTRIES = 1 << 16;

export class RowBuilder {
  indices = new Uint32Array(1024);
  values = new Float32Array(1024);
  length = 0;
  private slabIndices = new Uint32Array(0);
  private slabValues = new Float32Array(0);
  private slabUsed = 0;

  reset(): void {
    this.length = 0;
  }

  push(index: number, value: number): void {
    if (this.length === this.indices.length) this.grow();
    this.indices[this.length] = index;
    this.values[this.length] = value;
    this.length++;
  }

  /** The row's indices and values, as views of exactly its length. */
  take(): { indices: Uint32Array; values: Float32Array } {
    const n = this.length;
    if (this.slabUsed + n > this.slabIndices.length) {
      const size = Math.max(SLAB_ENTRIES, n);
      this.slabIndices = new Uint32Array(size);
      this.slabValues = new Float32Array(size);
      this.slabUsed = 0;
    }
    const start = this.slabUsed;
    this.slabUsed += n;
    const indices = this.slabIndices.subarray(start, start + n);
    const values = this.slabValues.subarray(start, start + n);
    indices.set(this.indices.subarray(0, n));
    values.set(this.values.subarray(0, n));
    return { indices, values };
  }

  private grow(): void {
    const indices = new Uint32Array(this.indices.length * 2);
    indices.set(this.indices);
    this.indices = indices;
    const values = new Float32Array(this.values.length * 2);
    values.set(this.values);
    this.values = values;
  }
}
