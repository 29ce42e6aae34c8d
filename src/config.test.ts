import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, FLAGS, helpText, parseConfig, type Config } from './config';

function parse(argv: string[], env: NodeJS.ProcessEnv = {}): Config {
  const config = parseConfig(argv, env);
  assert.notEqual(config, 'help');
  return config as Config;
}

test('defaults', () => {
  const c = parse([]);
  assert.equal(c.port, 4566);
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.dataDir, './data');
  assert.equal(c.inMemory, false);
  assert.equal(c.auth, true);
  assert.equal(c.accountId, '000000000000');
  assert.equal(c.logLevel, 'info');
  assert.deepEqual(c.credentials, [{ accessKeyId: 'test', secretAccessKey: 'test', accountId: '000000000000' }]);
  assert.equal(c.defaultCredentials, true);
  assert.deepEqual(c.s3BaseDomains, ['localhost']);
  assert.equal(c.transitionDelayMs, 0);
  assert.equal(c.itemCollectionLimitBytes, 10 * 1024 ** 3);
});

test('flags, both --flag value and --flag=value', () => {
  const c = parse([
    '--port=8000', '--host', 'localhost', '--data-dir', '/tmp/x', '--in-memory', '--auth', 'off', '--account-id', '123456789012',
    '--log-level', 'warn', '--credentials', 'AK:SK', '--credentials', 'AK2:SK2:111111111111', '--s3-domain', 'example.test',
    '--transition-delay', '250', '--item-collection-limit', '4096',
  ]);
  assert.equal(c.port, 8000);
  assert.equal(c.host, 'localhost');
  assert.equal(c.dataDir, '/tmp/x');
  assert.equal(c.inMemory, true);
  assert.equal(c.auth, false);
  assert.equal(c.logLevel, 'warn');
  assert.deepEqual(c.credentials, [
    { accessKeyId: 'AK', secretAccessKey: 'SK', accountId: '123456789012' },
    { accessKeyId: 'AK2', secretAccessKey: 'SK2', accountId: '111111111111' },
  ]);
  assert.equal(c.defaultCredentials, false);
  assert.deepEqual(c.s3BaseDomains, ['example.test']);
  assert.equal(c.transitionDelayMs, 250);
  assert.equal(c.itemCollectionLimitBytes, 4096);
});

test('every flag has an environment variable, and flags win over it', () => {
  const env = {
    BASALT_PORT: '9000', BASALT_HOST: '127.0.0.2', BASALT_DATA_DIR: 'd', BASALT_IN_MEMORY: 'true', BASALT_AUTH: 'off',
    BASALT_ACCOUNT_ID: '222222222222', BASALT_LOG_LEVEL: 'error', BASALT_CREDENTIALS: 'A:B, C:D:333333333333',
    BASALT_S3_DOMAIN: 'x.test,y.test', BASALT_TRANSITION_DELAY_MS: '5',
    BASALT_ITEM_COLLECTION_LIMIT: '2048',
  };
  const c = parse([], env);
  assert.equal(c.port, 9000);
  assert.equal(c.host, '127.0.0.2');
  assert.equal(c.dataDir, 'd');
  assert.equal(c.inMemory, true);
  assert.equal(c.auth, false);
  assert.equal(c.accountId, '222222222222');
  assert.equal(c.logLevel, 'error');
  assert.deepEqual(c.credentials.map((x) => x.accountId), ['222222222222', '333333333333']);
  assert.deepEqual(c.s3BaseDomains, ['x.test', 'y.test']);
  assert.equal(c.transitionDelayMs, 5);
  assert.equal(c.itemCollectionLimitBytes, 2048);
  assert.equal(parse(['--port', '1'], env).port, 1);
  for (const spec of FLAGS) if (spec.flag !== '--help') assert.ok(spec.env.startsWith('BASALT_'), spec.flag);
});

const refusals: Array<[string[], string]> = [
  [['--nope'], 'unknown option --nope (see --help)'],
  [['--port'], '--port needs a value (PORT)'],
  [['--port', 'x'], "--port must be a whole number from 0 to 65535, not 'x'"],
  [['--port', '70000'], "--port must be a whole number from 0 to 65535, not '70000'"],
  [['--auth', 'maybe'], "--auth must be on or off, not 'maybe'"],
  [['--account-id', '12'], "--account-id must be 12 digits, not '12'"],
  [['--credentials', 'justakey'], "--credentials takes ACCESS_KEY:SECRET_KEY[:ACCOUNT_ID], not 'justakey'"],
  [['--credentials', 'a:b', '--credentials', 'a:c'], "--credentials names access key 'a' twice"],
  [['--item-collection-limit', '0'], "--item-collection-limit must be a whole number from 1 to 10737418240, not '0'"],
  [['--log-level', 'loud'], "--log-level must be one of debug, info, warn, error, silent, not 'loud'"],
  [['--port', '1', '--port', '2'], '--port given more than once'],
  [['--host', '0.0.0.0'], 'refusing to listen on 0.0.0.0 with only the default test/test credentials; pass --credentials'],
  [['--host', '0.0.0.0', '--credentials', 'a:b', '--auth', 'off'], '--auth off is allowed on loopback only, not on 0.0.0.0'],
];
for (const [argv, message] of refusals) {
  test(`refuses ${argv.join(' ')}`, () => assert.throws(() => parseConfig(argv, {}), new ConfigError(message)));
}

test('non-loopback host with real credentials is allowed', () => {
  assert.equal(parse(['--host', '0.0.0.0', '--credentials', 'a:b']).host, '0.0.0.0');
});

test('help lists every flag with its environment variable', () => {
  assert.equal(parseConfig(['--help']), 'help');
  const text = helpText();
  for (const spec of FLAGS) {
    assert.ok(text.includes(spec.flag), spec.flag);
    if (spec.env) assert.ok(text.includes(spec.env), spec.env);
  }
});
