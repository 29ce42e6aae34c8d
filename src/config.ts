/**
 * Every command-line flag, its environment variable and default, declared once: the parser, `--help` and the
 * README's flag table all follow this list.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  inMemory: boolean;
  credentials: Credential[];
  /** True when no --credentials were given and the built-in test/test pair is in use. */
  defaultCredentials: boolean;
  auth: boolean;
  accountId: string;
  logLevel: LogLevel;
  s3BaseDomains: string[];
  transitionDelayMs: number;
  /** Bytes an item collection of a table with local secondary indexes may hold (DynamoDB: 10 GB). */
  itemCollectionLimitBytes: number;
}

interface FlagSpec {
  flag: string;
  env: string;
  /** Placeholder shown in help; absent for switches. */
  value?: string;
  defaultText: string;
  help: string;
  repeatable?: boolean;
}

/** DynamoDB's item collection size limit, 10 GB. */
export const ITEM_COLLECTION_LIMIT = 10 * 1024 * 1024 * 1024;

export const FLAGS: readonly FlagSpec[] = [
  { flag: '--port', env: 'BASALT_PORT', value: 'PORT', defaultText: '4566', help: 'TCP port for both APIs (0 picks a free port)' },
  { flag: '--host', env: 'BASALT_HOST', value: 'HOST', defaultText: '127.0.0.1', help: 'address to listen on' },
  { flag: '--data-dir', env: 'BASALT_DATA_DIR', value: 'DIR', defaultText: './data', help: 'where data is stored' },
  { flag: '--in-memory', env: 'BASALT_IN_MEMORY', defaultText: 'off', help: 'keep everything in memory; nothing is written to disk' },
  {
    flag: '--credentials',
    env: 'BASALT_CREDENTIALS',
    value: 'KEY:SECRET[:ACCOUNT]',
    defaultText: 'test:test',
    help: 'accepted key pair (repeatable; the environment variable takes a comma-separated list)',
    repeatable: true,
  },
  { flag: '--auth', env: 'BASALT_AUTH', value: 'on|off', defaultText: 'on', help: 'verify SigV4 signatures; off is allowed on loopback only' },
  { flag: '--account-id', env: 'BASALT_ACCOUNT_ID', value: 'ID', defaultText: '000000000000', help: 'account of credentials that name none' },
  { flag: '--log-level', env: 'BASALT_LOG_LEVEL', value: 'LEVEL', defaultText: 'info', help: 'debug, info, warn, error or silent' },
  {
    flag: '--s3-domain',
    env: 'BASALT_S3_DOMAIN',
    value: 'DOMAIN',
    defaultText: 'localhost',
    help: 'base domain for virtual-hosted S3 (BUCKET.DOMAIN); repeatable',
    repeatable: true,
  },
  {
    flag: '--transition-delay',
    env: 'BASALT_TRANSITION_DELAY_MS',
    value: 'MS',
    defaultText: '0',
    help: 'how long tables stay CREATING/UPDATING/DELETING',
  },
  {
    flag: '--item-collection-limit',
    env: 'BASALT_ITEM_COLLECTION_LIMIT',
    value: 'BYTES',
    defaultText: String(ITEM_COLLECTION_LIMIT),
    help: "size limit of an item collection in a table with local secondary indexes (DynamoDB's 10 GB); lower it to test for the limit",
  },
  { flag: '--help', env: '', defaultText: '', help: 'print this help' },
];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const DEFAULT_ACCESS_KEY = 'test';
export const DEFAULT_SECRET_KEY = 'test';

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/** Raw values by flag name: repeatable flags collect every occurrence. */
type RawValues = Map<string, string[]>;

function collectArgs(argv: readonly string[]): RawValues {
  const raw: RawValues = new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = FLAGS.find((f) => f.flag === name);
    if (!spec) throw new ConfigError(`unknown option ${name} (see --help)`);
    let value: string;
    if (eq > 0) value = arg.slice(eq + 1);
    else if (!spec.value) value = 'true';
    else {
      const next = argv[++i];
      if (next === undefined) throw new ConfigError(`${name} needs a value (${spec.value})`);
      value = next;
    }
    const values = raw.get(name) ?? [];
    if (values.length > 0 && !spec.repeatable) throw new ConfigError(`${name} given more than once`);
    raw.set(name, [...values, value]);
  }
  return raw;
}

function collectEnv(env: NodeJS.ProcessEnv, raw: RawValues): void {
  for (const spec of FLAGS) {
    if (!spec.env || raw.has(spec.flag)) continue;
    const value = env[spec.env];
    if (value === undefined || value === '') continue;
    raw.set(spec.flag, spec.repeatable ? value.split(',').map((v) => v.trim()).filter(Boolean) : [value]);
  }
}

function parseBoolean(name: string, value: string): boolean {
  if (['true', '1', 'on', 'yes'].includes(value)) return true;
  if (['false', '0', 'off', 'no'].includes(value)) return false;
  throw new ConfigError(`${name} must be on or off, not '${value}'`);
}

function parseInteger(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not '${value}'`);
  }
  return Number(value);
}

function parseAccountId(name: string, value: string): string {
  if (!/^\d{12}$/.test(value)) throw new ConfigError(`${name} must be 12 digits, not '${value}'`);
  return value;
}

function parseCredential(value: string, accountId: string): Credential {
  const parts = value.split(':');
  if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1]) {
    throw new ConfigError(`--credentials takes ACCESS_KEY:SECRET_KEY[:ACCOUNT_ID], not '${value}'`);
  }
  return {
    accessKeyId: parts[0],
    secretAccessKey: parts[1],
    accountId: parts[2] ? parseAccountId('--credentials account', parts[2]) : accountId,
  };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Reads flags, then environment variables for flags not given; throws ConfigError with a one-line reason. */
export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv = {}): Config | 'help' {
  const raw = collectArgs(argv);
  if (raw.has('--help')) return 'help';
  collectEnv(env, raw);
  const one = (flag: string): string | undefined => raw.get(flag)?.[0];

  const accountId = one('--account-id') !== undefined ? parseAccountId('--account-id', one('--account-id')!) : '000000000000';
  const given = raw.get('--credentials') ?? [];
  const credentials = given.length
    ? given.map((c) => parseCredential(c, accountId))
    : [{ accessKeyId: DEFAULT_ACCESS_KEY, secretAccessKey: DEFAULT_SECRET_KEY, accountId }];
  const logLevel = (one('--log-level') ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, not '${logLevel}'`);

  const config: Config = {
    port: parseInteger('--port', one('--port') ?? '4566', 0, 65535),
    host: one('--host') ?? '127.0.0.1',
    dataDir: one('--data-dir') ?? './data',
    inMemory: parseBoolean('--in-memory', one('--in-memory') ?? 'false'),
    credentials,
    defaultCredentials: given.length === 0,
    auth: parseBoolean('--auth', one('--auth') ?? 'on'),
    accountId,
    logLevel,
    s3BaseDomains: raw.get('--s3-domain') ?? ['localhost'],
    transitionDelayMs: parseInteger('--transition-delay', one('--transition-delay') ?? '0', 0, 3_600_000),
    itemCollectionLimitBytes: parseInteger('--item-collection-limit', one('--item-collection-limit') ?? String(ITEM_COLLECTION_LIMIT), 1, ITEM_COLLECTION_LIMIT),
  };
  const keys = new Set<string>();
  for (const c of credentials) {
    if (keys.has(c.accessKeyId)) throw new ConfigError(`--credentials names access key '${c.accessKeyId}' twice`);
    keys.add(c.accessKeyId);
  }
  if (!isLoopback(config.host) && config.defaultCredentials) {
    throw new ConfigError(`refusing to listen on ${config.host} with only the default test/test credentials; pass --credentials`);
  }
  if (!isLoopback(config.host) && !config.auth) {
    throw new ConfigError(`--auth off is allowed on loopback only, not on ${config.host}`);
  }
  return config;
}

export function helpText(): string {
  const lines = ['Usage: basalt [options]', '', 'Options (each also read from its environment variable):'];
  for (const spec of FLAGS) {
    const left = `  ${spec.flag}${spec.value ? ' ' + spec.value : ''}`;
    const env = spec.env ? ` [${spec.env}]` : '';
    const dflt = spec.defaultText ? ` (default ${spec.defaultText})` : '';
    lines.push(`${left.padEnd(36)}${spec.help}${dflt}${env}`);
  }
  return lines.join('\n');
}
