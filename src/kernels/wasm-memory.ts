/**
 * The WebAssembly kernels' linear memory, and a small allocator over it for the arrays `alloc` hands out.
 *
 * With a shared memory (SharedArrayBuffer), growing the memory keeps every earlier view valid: the old
 * SharedArrayBuffer objects still address the same bytes. A plain memory detaches its old buffer on
 * growth, so in that mode no view is ever handed out: `alloc` returns ordinary arrays and the kernels copy
 * through a scratch region instead (see wasm.ts).
 *
 * Blocks are 64-byte aligned (one cache line) and zeroed when handed out. Freed blocks go on an
 * address-ordered free list and merge with their neighbours; a freed block at the top lowers the top.
 */

const PAGE = 65536;
const ALIGN = 64;

const alignUp = (x: number, to: number): number => Math.ceil(x / to) * to;

export class KernelMemoryFullError extends RangeError {
  override name = 'KernelMemoryFullError';
}

interface Block {
  ptr: number;
  bytes: number;
}

export class KernelMemory {
  /** Every buffer object this memory has had: a view is ours if its buffer is one of them. */
  private readonly buffers = new Set<ArrayBufferLike>();
  private current: ArrayBufferLike;
  /** First byte above every block handed out (the bump pointer). */
  private top: number;
  private readonly start: number;
  private readonly freeBlocks: Block[] = [];
  private readonly live = new Map<number, number>();
  private scratchBlock: Block | null = null;

  constructor(
    readonly memory: WebAssembly.Memory,
    readonly shared: boolean,
    /** The first byte the module itself does not use. */
    heapBase: number,
    /** The memory's maximum size in bytes. */
    readonly maximumBytes: number,
  ) {
    // Address 0 stands for "no buffer" in the kernels' signatures, so nothing is ever placed there.
    this.start = alignUp(Math.max(heapBase, ALIGN), ALIGN);
    this.top = this.start;
    this.current = memory.buffer;
    this.buffers.add(this.current);
  }

  /** The memory's current buffer (a new object after each growth). */
  buffer(): ArrayBufferLike {
    const b = this.memory.buffer;
    if (b !== this.current) {
      this.current = b;
      this.buffers.add(b);
    }
    return b;
  }

  /** True if `a` is a view of this memory (made by alloc, or a subarray of one), usable in place. */
  owns(a: ArrayLike<number>): a is Float32Array {
    return a instanceof Float32Array && (this.buffers.has(a.buffer) || a.buffer === this.buffer());
  }

  get sizeBytes(): number {
    return this.buffer().byteLength;
  }

  /** Bytes handed out and not freed (blocks are rounded up to 64 bytes). */
  get liveBytes(): number {
    let total = 0;
    for (const bytes of this.live.values()) total += bytes;
    return total;
  }

  /** A zeroed Float32Array of n elements in this memory. */
  allocFloat32(n: number): Float32Array {
    if (n === 0) return new Float32Array(this.buffer(), this.start, 0);
    const ptr = this.allocate(n * 4);
    const view = new Float32Array(this.buffer(), ptr, n);
    view.fill(0);
    return view;
  }

  /** Returns an array from allocFloat32 to the free list. */
  free(a: Float32Array): void {
    if (a.length === 0) return;
    const bytes = this.live.get(a.byteOffset);
    if (!this.owns(a) || bytes === undefined || alignUp(a.byteLength, ALIGN) !== bytes) {
      throw new RangeError(
        `free(array): the array (byteOffset ${a.byteOffset}, length ${a.length}) is not one returned by alloc, or was already freed`,
      );
    }
    this.live.delete(a.byteOffset);
    this.release({ ptr: a.byteOffset, bytes });
  }

  /**
   * The address of a scratch region of at least `bytes` bytes, reused from call to call. Growing it may
   * grow the memory, so callers reserve first and make their views afterwards.
   */
  scratch(bytes: number): number {
    if (this.scratchBlock === null || this.scratchBlock.bytes < bytes) {
      if (this.scratchBlock !== null) this.release(this.scratchBlock);
      const size = alignUp(Math.max(bytes, (this.scratchBlock?.bytes ?? 0) * 2, PAGE), ALIGN);
      this.scratchBlock = { ptr: this.allocate(size), bytes: size };
      this.live.delete(this.scratchBlock.ptr);
    }
    return this.scratchBlock.ptr;
  }

  private allocate(requested: number): number {
    const bytes = alignUp(requested, ALIGN);
    let ptr = this.takeFree(bytes);
    if (ptr < 0) {
      ptr = this.top;
      this.ensure(ptr + bytes);
      this.top = ptr + bytes;
    }
    this.live.set(ptr, bytes);
    return ptr;
  }

  /** First fit from the free list, splitting the block; -1 if none is big enough. */
  private takeFree(bytes: number): number {
    for (let i = 0; i < this.freeBlocks.length; i++) {
      const b = this.freeBlocks[i];
      if (b.bytes < bytes) continue;
      const ptr = b.ptr;
      if (b.bytes === bytes) this.freeBlocks.splice(i, 1);
      else this.freeBlocks[i] = { ptr: ptr + bytes, bytes: b.bytes - bytes };
      return ptr;
    }
    return -1;
  }

  private release(block: Block): void {
    const list = this.freeBlocks;
    let i = 0;
    while (i < list.length && list[i].ptr < block.ptr) i++;
    list.splice(i, 0, { ...block });
    // Merge with the following block, then with the preceding one.
    if (i + 1 < list.length && list[i].ptr + list[i].bytes === list[i + 1].ptr) {
      list[i].bytes += list[i + 1].bytes;
      list.splice(i + 1, 1);
    }
    if (i > 0 && list[i - 1].ptr + list[i - 1].bytes === list[i].ptr) {
      list[i - 1].bytes += list[i].bytes;
      list.splice(i, 1);
    }
    const last = list[list.length - 1];
    if (last.ptr + last.bytes === this.top) {
      this.top = last.ptr;
      list.pop();
    }
  }

  private ensure(end: number): void {
    const have = this.buffer().byteLength;
    if (end <= have) return;
    if (end > this.maximumBytes) {
      throw new KernelMemoryFullError(
        `alloc: the kernels' WebAssembly memory is full: ${end} bytes needed, the maximum is ${this.maximumBytes} (free arrays with free(), or use ordinary Float32Arrays)`,
      );
    }
    // Grow by at least a quarter of the current size so that many small allocations grow rarely.
    const pages = Math.max(Math.ceil((end - have) / PAGE), Math.ceil(have / PAGE / 4));
    const maxPages = this.maximumBytes / PAGE;
    this.memory.grow(Math.min(pages, maxPages - have / PAGE));
    this.buffer();
  }
}
