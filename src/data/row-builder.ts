/** Collects one row's (index, value) pairs in reusable scratch arrays, then copies them out exactly sized. */
export class RowBuilder {
  indices = new Uint32Array(1024);
  values = new Float32Array(1024);
  length = 0;

  reset(): void {
    this.length = 0;
  }

  push(index: number, value: number): void {
    if (this.length === this.indices.length) this.grow();
    this.indices[this.length] = index;
    this.values[this.length] = value;
    this.length++;
  }

  takeIndices(): Uint32Array {
    return this.indices.slice(0, this.length);
  }

  takeValues(): Float32Array {
    return this.values.slice(0, this.length);
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
