/** The machine a benchmark ran on, recorded next to its figures. */
import os from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memoryBytes: number;
  platform: string;
  release: string;
  arch: string;
  node: string;
  v8: string;
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryBytes: os.totalmem(),
    platform: os.platform(),
    release: os.release(),
    arch: os.arch(),
    node: process.versions.node,
    v8: process.versions.v8,
  };
}
