// The systems under test, each started as a child process in its own process group on a free loopback port,
// with peak-memory sampling and a clean stop (the whole process group is signalled; no name patterns).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Credentials, Service } from './sigv4';

export type SystemName = 'basalt' | 'dynalite' | 's3rver' | 'moto' | 'ceiling';
export const ALL_SYSTEMS: SystemName[] = ['basalt', 'dynalite', 's3rver', 'moto', 'ceiling'];

export interface SystemDef {
  name: SystemName;
  services: Service[];
  credentials: Credentials;
}

export const SYSTEM_DEFS: Record<SystemName, SystemDef> = {
  basalt: { name: 'basalt', services: ['dynamodb', 's3'], credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
  dynalite: { name: 'dynalite', services: ['dynamodb'], credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
  s3rver: { name: 's3rver', services: ['s3'], credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } },
  moto: { name: 'moto', services: ['dynamodb', 's3'], credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
  ceiling: { name: 'ceiling', services: ['dynamodb', 's3'], credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
};

export interface RunningSystem {
  def: SystemDef;
  port: number;
  pid: number;
  /** How it was started (storage mode, version), shown in the output. */
  note: string;
  /** The last lines it printed, for error reports. */
  log(): string;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pkgVersion(name: string): string {
  try {
    return (JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

interface SpawnSpec {
  command: string;
  args: string[];
  /** Port known beforehand, or parsed from the output. */
  port?: number;
  portFromOutput?: RegExp;
  note: string;
}

async function launch(def: SystemDef, spec: SpawnSpec, timeoutMs = 60_000): Promise<RunningSystem> {
  const child: ChildProcess = spawn(spec.command, spec.args, {
    cwd: ROOT,
    detached: true, // its own process group, so the whole tree can be stopped
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  let tail = '';
  let port = spec.port;
  const onData = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
    if (port === undefined && spec.portFromOutput) {
      const m = spec.portFromOutput.exec(tail);
      if (m) port = Number(m[1]);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let exited: string | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = `exited (${signal ?? code})`;
      resolve();
    });
    child.on('error', (err) => {
      exited = `could not start: ${err.message}`;
      resolve();
    });
  });
  const pid = child.pid ?? -1;

  const stop = async (): Promise<void> => {
    if (exited || pid <= 0) return;
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const killed = await Promise.race([exitPromise.then(() => true), sleep(3000).then(() => false)]);
    if (!killed) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await Promise.race([exitPromise, sleep(2000)]);
    }
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`${def.name} ${exited}: ${tail.trim().split('\n').slice(-5).join(' | ')}`);
    if (port !== undefined && (await canConnect(port))) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${def.name} did not start listening within ${timeoutMs / 1000} s: ${tail.trim().slice(-300)}`);
    }
    await sleep(100);
  }
  return { def, port: port!, pid, note: spec.note, log: () => tail, stop };
}

export async function startSystem(name: SystemName, tmp: string): Promise<RunningSystem> {
  const def = SYSTEM_DEFS[name];
  const dir = fs.mkdtempSync(path.join(tmp, `${name}-`));
  const node = process.execPath;
  switch (name) {
    case 'basalt':
      return launch(def, {
        command: node,
        args: ['bin/basalt.js', '--port', '0', '--data-dir', dir, '--auth', 'on'],
        portFromOutput: /listening on http:\/\/127\.0\.0\.1:(\d+)/,
        note: `SQLite on disk (${dir}), SigV4 verified`,
      });
    case 'dynalite': {
      // --path keeps the data in LevelDB on disk; it needs the native classic-level binding.
      let onDisk = true;
      try {
        require('classic-level');
      } catch {
        onDisk = false;
      }
      const port = await freePort();
      const args = [require.resolve('dynalite/cli.js'), '--host', '127.0.0.1', '--port', String(port)];
      args.push('--createTableMs', '0', '--deleteTableMs', '0', '--updateTableMs', '0');
      if (onDisk) args.push('--path', dir);
      return launch(def, {
        command: node,
        args,
        port,
        note: `dynalite ${pkgVersion('dynalite')}, ${onDisk ? `LevelDB on disk (${dir})` : 'IN MEMORY (LevelDB binding unavailable)'}, signatures not verified`,
      });
    }
    case 's3rver': {
      const port = await freePort();
      return launch(def, {
        command: node,
        args: [require.resolve('s3rver/bin/s3rver.js'), '-d', dir, '-a', '127.0.0.1', '-p', String(port), '--silent'],
        port,
        note: `s3rver ${pkgVersion('s3rver')}, files on disk (${dir}), SigV4 verified`,
      });
    }
    case 'moto': {
      const port = await freePort();
      return launch(def, {
        command: 'moto_server',
        args: ['-H', '127.0.0.1', '-p', String(port)],
        port,
        note: 'moto_server (Python, in memory), signatures not verified',
      });
    }
    case 'ceiling': {
      const port = await freePort();
      return launch(def, {
        command: node,
        args: [path.join(__dirname, 'ceiling-server.js'), '--port', String(port), '--dir', dir],
        port,
        note:
          'bare node:http server, no parsing/auth/checksums; DynamoDB: answers a same-size JSON body; ' +
          `S3: PUT writes the body to a file (temp file, fsync, rename, dir fsync: a durable file per object, as Basalt keeps bodies over 64 KiB) and GET reads it back (${dir})`,
      });
    }
  }
}

// ---- memory --------------------------------------------------------------------------------------------

/** Every process in the process group (the server and whatever it spawned, e.g. a pyenv shim's python). */
function groupPids(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) pids.push(Number(entry));
    } catch {
      /* gone */
    }
  }
  return pids;
}

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Peak resident memory of a server during one run: the kernel's high-water mark is reset at the start
 * (clear_refs 5) when allowed, and the RSS is also sampled every 100 ms; the larger of the two is reported.
 */
export class MemorySampler {
  private peakKb = 0;
  private hwmReset = false;
  private timer?: NodeJS.Timeout;
  constructor(private readonly pgid: number) {}

  start(): void {
    const pids = groupPids(this.pgid);
    this.hwmReset = pids.length > 0;
    for (const pid of pids) {
      try {
        fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
      } catch {
        this.hwmReset = false;
      }
    }
    this.sample();
    this.timer = setInterval(() => this.sample(), 100);
    this.timer.unref();
  }

  private sample(): void {
    let kb = 0;
    for (const pid of groupPids(this.pgid)) kb += statusKb(pid, 'VmRSS');
    this.peakKb = Math.max(this.peakKb, kb);
  }

  /** Peak MB during the run. */
  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    if (this.hwmReset) {
      let hwm = 0;
      for (const pid of groupPids(this.pgid)) hwm += statusKb(pid, 'VmHWM');
      this.peakKb = Math.max(this.peakKb, hwm);
    }
    return this.peakKb / 1024;
  }
}
