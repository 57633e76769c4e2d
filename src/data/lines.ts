/**
 * Splits a stream of byte chunks into lines without decoding them, calling `onLine(bytes, start,
 * end)` for each line (the end excludes "\n" and a "\r" before it). A line split across chunks is
 * joined into one buffer; every other line is passed as a range of the chunk itself, so the common
 * case copies nothing. Memory: one chunk plus the longest partial line.
 */
export type LineHandler = (bytes: Uint8Array, start: number, end: number) => void;

export class LineSplitter {
  private carry: Uint8Array = new Uint8Array(0);
  private carryLength = 0;

  push(chunk: Uint8Array, onLine: LineHandler): void {
    let start = 0;
    let newline = chunk.indexOf(10);
    if (this.carryLength > 0) {
      if (newline < 0) {
        this.append(chunk, 0, chunk.length);
        return;
      }
      this.append(chunk, 0, newline);
      const joined = this.carry;
      const length = this.carryLength;
      this.carryLength = 0;
      onLine(joined, 0, trimCarriageReturn(joined, 0, length));
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    }
    while (newline >= 0) {
      onLine(chunk, start, trimCarriageReturn(chunk, start, newline));
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    }
    if (start < chunk.length) this.append(chunk, start, chunk.length);
  }

  /** Emits the last line when the input does not end with a newline. */
  finish(onLine: LineHandler): void {
    if (this.carryLength === 0) return;
    const length = this.carryLength;
    this.carryLength = 0;
    onLine(this.carry, 0, trimCarriageReturn(this.carry, 0, length));
  }

  private append(chunk: Uint8Array, start: number, end: number): void {
    const needed = this.carryLength + (end - start);
    if (needed > this.carry.length) {
      const grown = new Uint8Array(Math.max(needed, this.carry.length * 2, 1024));
      grown.set(this.carry.subarray(0, this.carryLength));
      this.carry = grown;
    }
    this.carry.set(chunk.subarray(start, end), this.carryLength);
    this.carryLength = needed;
  }
}

function trimCarriageReturn(bytes: Uint8Array, start: number, end: number): number {
  return end > start && bytes[end - 1] === 13 ? end - 1 : end;
}
