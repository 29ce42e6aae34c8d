import { after, before } from 'node:test';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { startBasalt, type BasaltProcess } from './basalt';

/** The Basalt a suite runs against, and a DynamoDB client for it; both exist from the suite's first `before` on. */
export interface BasaltSuite {
  readonly basalt: BasaltProcess;
  readonly ddb: DynamoDBClient;
}

export interface BasaltSuiteOptions {
  /** Command-line arguments; in memory by default. */
  args?: string[];
  /** The client's region; the helper's default (us-east-1) otherwise. */
  region?: string;
}

/**
 * Registers, in the enclosing suite, a `before` that starts a Basalt and makes its DynamoDB client and an `after`
 * that destroys the client and stops the process. Call it before the suite's own hooks, which then see both.
 */
export function useBasalt({ args = ['--in-memory'], region }: BasaltSuiteOptions = {}): BasaltSuite {
  let basalt: BasaltProcess | undefined;
  let ddb: DynamoDBClient | undefined;
  before(async () => {
    basalt = await startBasalt(args);
    ddb = basalt.dynamodb(undefined, region);
  });
  after(async () => {
    ddb?.destroy();
    await basalt?.stop();
  });
  return {
    get basalt() {
      if (!basalt) throw new Error('Basalt is not started: use it in a test or hook');
      return basalt;
    },
    get ddb() {
      if (!ddb) throw new Error('Basalt is not started: use its client in a test or hook');
      return ddb;
    },
  };
}

/** The Basalt an S3 suite runs against, and an S3 client for it; both exist from the suite's first `before` on. */
export interface BasaltS3Suite {
  readonly basalt: BasaltProcess;
  readonly s3: S3Client;
}

/**
 * Registers, in the enclosing suite, a `before` that starts a Basalt (in memory) and makes its S3 client and an
 * `after` that stops the process. Call it before the suite's own hooks, which then see both.
 */
export function useS3Basalt(): BasaltS3Suite {
  let basalt: BasaltProcess | undefined;
  let s3: S3Client | undefined;
  before(async () => {
    basalt = await startBasalt();
    s3 = basalt.s3();
  });
  after(async () => {
    await basalt?.stop();
  });
  return {
    get basalt() {
      if (!basalt) throw new Error('Basalt is not started: use it in a test or hook');
      return basalt;
    },
    get s3() {
      if (!s3) throw new Error('Basalt is not started: use its client in a test or hook');
      return s3;
    },
  };
}
