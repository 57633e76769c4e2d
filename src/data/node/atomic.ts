/**
 * Atomic file writes: data goes to a temporary file beside the target, which is renamed over it
 * only when complete. A crash or error leaves the old file (or none), never a half-written one.
 */
import { createWriteStream, renameSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/** A temporary name in the target's directory (same file system, so rename is atomic). */
export function temporaryPathFor(path: string): string {
  counter++;
  return join(dirname(path), `.${basename(path)}.${process.pid}.${counter}.tmp`);
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temporary = temporaryPathFor(path);
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * A streamed atomic write: `write` chunks (awaiting back-pressure), then `commit()` to rename into
 * place, or `abort()` to delete the temporary file.
 */
export class AtomicWriter {
  readonly path: string;
  readonly temporary: string;
  private readonly stream: WriteStream;
  private closed = false;

  constructor(path: string) {
    this.path = path;
    this.temporary = temporaryPathFor(path);
    this.stream = createWriteStream(this.temporary);
    // Errors surface on write/commit; keep an unhandled 'error' event from crashing the process.
    this.stream.on('error', () => {});
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (!this.stream.write(chunk))
      await Promise.race([once(this.stream, 'drain'), once(this.stream, 'error')]);
    if (this.stream.errored) throw this.stream.errored;
  }

  async commit(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stream.end();
    await closed(this.stream);
    if (this.stream.errored) {
      rmSync(this.temporary, { force: true });
      throw this.stream.errored;
    }
    renameSync(this.temporary, this.path);
  }

  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stream.destroy();
    await closed(this.stream);
    rmSync(this.temporary, { force: true });
  }
}

async function closed(stream: WriteStream): Promise<void> {
  if (stream.closed) return;
  await once(stream, 'close');
}
