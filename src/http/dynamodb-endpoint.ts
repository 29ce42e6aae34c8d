import * as crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import { AwsError, isAwsError } from '../errors/aws-error';
import { dynamoError, messageField } from '../errors/dynamodb-errors';
import { hasOperation, runOperation } from '../dynamodb/service';
import * as legacy from '../dynamodb/legacy/service';
import { renderResult } from '../dynamodb/response';
import type { DynamoSettings } from '../dynamodb/operation';
import type { StorageEngine } from '../storage/engine';
import type { Logger } from '../util/log';
import { type Authenticator } from './authenticate';
import { BodyTooLargeError, decodeContent, readBody } from './body';
import { endSoon } from './reply-batch';
import { dynamoRequestId } from './request-id';
import type { Route } from './router';

/** DynamoDB refuses request bodies over 16 MB. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
/** One-shot hashing (crypto.hash, Node >= 20.12) skips building a Hash object per request. */
const sha256Hex: (data: Buffer) => string =
  typeof crypto.hash === 'function' ? (data) => crypto.hash('sha256', data, 'hex') : (data) => crypto.createHash('sha256').update(data).digest('hex');

const JSON_TYPES = new Set(['application/x-amz-json-1.0', 'application/json']);

export interface DynamoEndpointDeps {
  store: StorageEngine;
  settings: DynamoSettings;
  authenticate: Authenticator;
  log: Logger;
}

function send(res: ServerResponse, requestId: string, status: number, body: string | Buffer, contentType: string): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  // The flat array form skips building and walking a header object on this hot path.
  res.writeHead(status, [
    'x-amzn-RequestId', requestId,
    'content-type', contentType,
    'content-length', String(bytes.length),
    'x-amz-crc32', String(crc32(bytes)),
  ]);
  endSoon(res, bytes);
}

const CURRENT_API = { hasOperation, runOperation };

export function renderDynamoError(err: AwsError): string {
  const body: Record<string, unknown> = { __type: `${err.namespace}#${err.code}` };
  if (err.message) body[messageField(err.code)] = err.message;
  return JSON.stringify(Object.assign(body, err.fields));
}

type DynamoRoute = Extract<Route, { kind: 'dynamodb' }>;

/**
 * Serves one DynamoDB JSON 1.0 request. The checks run in the order DynamoDB applies them: method and content
 * type, body syntax, target, authentication, then the operation's own validation.
 */
export async function serveDynamo(req: IncomingMessage, res: ServerResponse, target: DynamoRoute, deps: DynamoEndpointDeps): Promise<void> {
  const requestId = dynamoRequestId();
  const contentTypeHeader = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const contentType = contentTypeHeader === 'application/json' ? 'application/json' : 'application/x-amz-json-1.0';
  const fail = (err: AwsError) => send(res, requestId, err.status, renderDynamoError(err), contentType);
  try {
    let raw: Buffer;
    try {
      raw = await readBody(req, MAX_REQUEST_BYTES);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return fail(dynamoError('RequestEntityTooLarge'));
      throw err;
    }
    if (req.method !== 'POST' || (raw.length > 0 && !JSON_TYPES.has(contentTypeHeader))) {
      res.writeHead(404, { 'x-amzn-RequestId': requestId, 'content-length': 29, 'x-amz-crc32': '3552371480' });
      res.end('<UnknownOperationException/>\n');
      return;
    }
    let body: unknown;
    if (raw.length > 0) {
      try {
        const encoding = req.headers['content-encoding'];
        const decoded = encoding ? await decodeContent(raw, encoding, MAX_REQUEST_BYTES) : raw;
        body = JSON.parse(decoded.toString('utf8'));
      } catch {
        return fail(dynamoError('SerializationException'));
      }
    }
    // DynamoDB_20111205 is the legacy API, served on the same tables (src/dynamodb/legacy).
    const service = target.api === 'DynamoDB_20111205' ? legacy : target.api === 'DynamoDB_20120810' ? CURRENT_API : undefined;
    if (!service || !service.hasOperation(target.operation)) {
      return fail(dynamoError('UnknownOperationException'));
    }
    const identity = deps.authenticate(req, 'dynamodb', sha256Hex(raw));
    if (raw.length === 0) return fail(dynamoError('SerializationException'));
    const result = await service.runOperation(target.operation, body, {
      accountId: identity.accountId,
      region: identity.region,
      requestId,
      store: deps.store,
      settings: deps.settings,
    });
    send(res, requestId, 200, renderResult(result), contentType);
  } catch (err) {
    if (isAwsError(err)) return fail(err);
    deps.log.error(`DynamoDB ${target.target} failed: ${(err as Error)?.stack ?? String(err)}`);
    fail(dynamoError('InternalServerError'));
  }
}
