/**
 * Real Redis servers for the parameter-store tests: Debian's redis-server on free loopback ports,
 * each in its own temporary directory, stopped (and the directory removed) by stop().
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  port: number;
  url: string;
  dir: string;
  /** Stops the server (SIGKILL when `hard`), keeping its directory (and AOF). */
  kill(hard?: boolean): Promise<void>;
  /** Starts it again on the same port and directory. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port whose cluster bus port (+10000) is free too. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    if ((await portFree(port)) && (await portFree(port + 10000))) return port;
  }
}

function waitForPing(port: number, password?: string): void {
  for (let i = 0; i < 100; i++) {
    try {
      const auth =
        password === undefined ? [] : ['--user', 'default', '--pass', password, '--no-auth-warning'];
      const out = execFileSync('redis-cli', ['-p', String(port), ...auth, 'PING'], {
        encoding: 'utf8',
        stdio: 'pipe',
      });
      if (out.trim() === 'PONG') return;
    } catch {
      // not up yet
    }
    execFileSync('sleep', ['0.05']);
  }
  throw new Error(`redis-server on port ${port} did not start`);
}

export interface ServerOptions {
  aof?: boolean;
  cluster?: boolean;
  /** requirepass for the default user. */
  password?: string;
  /** ACL lines (`user NAME on >pass ~keys +@all`). */
  acl?: string[];
}

export async function startRedis(options: ServerOptions = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'adagrad-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--daemonize',
    'no',
    '--appendonly',
    options.aof ? 'yes' : 'no',
    '--appendfsync',
    'always',
    ...(options.cluster
      ? ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf')]
      : []),
    ...(options.password === undefined ? [] : ['--requirepass', options.password]),
  ];
  let child: ChildProcess | undefined;
  const launch = (): void => {
    child = spawn('redis-server', args, { stdio: 'ignore' });
    waitForPing(port, options.password);
    const auth = options.password === undefined ? [] : ['--pass', options.password, '--no-auth-warning'];
    for (const line of options.acl ?? []) {
      execFileSync('redis-cli', ['-p', String(port), ...auth, 'ACL', 'SETUSER', ...line.split(' ')], {
        stdio: 'pipe',
      });
    }
  };
  const kill = async (hard = false): Promise<void> => {
    const c = child;
    if (c === undefined || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill(hard ? 'SIGKILL' : 'SIGTERM');
    });
    child = undefined;
  };
  launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    kill,
    restart: async () => launch(),
    stop: async () => {
      await kill(true);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RedisCluster {
  url: string;
  nodes: RedisServer[];
  stop(): Promise<void>;
}

/** Three masters, no replicas, slots spread by redis-cli --cluster create. */
export async function startCluster(): Promise<RedisCluster> {
  const nodes: RedisServer[] = [];
  for (let i = 0; i < 3; i++) nodes.push(await startRedis({ cluster: true }));
  execFileSync(
    'redis-cli',
    [
      '--cluster',
      'create',
      ...nodes.map((n) => `127.0.0.1:${n.port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ],
    { stdio: 'pipe' },
  );
  for (let i = 0; i < 200; i++) {
    const states = nodes.map((n) =>
      execFileSync('redis-cli', ['-p', String(n.port), 'CLUSTER', 'INFO'], { encoding: 'utf8' }),
    );
    if (states.every((s) => s.includes('cluster_state:ok'))) break;
    execFileSync('sleep', ['0.05']);
  }
  return {
    url: nodes[0].url,
    nodes,
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}

/** One redis-cli command's output (for checking the store from outside). */
export function redisCli(port: number, ...args: string[]): string {
  return execFileSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' });
}
