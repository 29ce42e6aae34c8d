import * as crypto from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
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
import { writeSoon } from './reply-batch';
import { dynamoRequestId } from './request-id';
import type { Route } from './router';

/** DynamoDB refuses request bodies over 16 MB. */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
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

/** What the endpoint reads of a request, whichever HTTP layer parsed it (connections.ts or node:http). */
export interface DynamoHttpRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** Sends one whole response; `headers` is a flat list of names and values. */
export type DynamoResponder = (status: number, headers: string[], body: Buffer) => void;

/** A responder over node:http's response object, written with the others of this turn (reply-batch.ts). */
export const nodeResponder =
  (res: ServerResponse): DynamoResponder =>
  (status, headers, body) => {
    // The flat array form skips building and walking a header object on this hot path.
    res.writeHead(status, headers);
    writeSoon(() => res.end(body));
  };

/** node:http's request, its body read whole (or refused past DynamoDB's limit). */
export const nodeRequestBody = (req: IncomingMessage): Promise<Buffer> => readBody(req, MAX_REQUEST_BYTES);

function send(respond: DynamoResponder, requestId: string, status: number, body: string | Buffer, contentType: string): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  respond(status, ['x-amzn-RequestId', requestId, 'content-type', contentType, 'content-length', String(bytes.length), 'x-amz-crc32', String(crc32(bytes))], bytes);
}

const UNKNOWN_OPERATION = Buffer.from('<UnknownOperationException/>\n');

const CURRENT_API = { hasOperation, runOperation };

export function renderDynamoError(err: AwsError): string {
  const body: Record<string, unknown> = { __type: `${err.namespace}#${err.code}` };
  if (err.message) body[messageField(err.code, err.fields)] = err.message;
  return JSON.stringify(Object.assign(body, err.fields));
}

type DynamoRoute = Extract<Route, { kind: 'dynamodb' }>;

/**
 * Serves one DynamoDB JSON 1.0 request. The checks run in the order DynamoDB applies them: method and content
 * type, body syntax, target, authentication, then the operation's own validation. `body` is the whole body,
 * or a promise of it that rejects with BodyTooLargeError past 16 MB.
 */
export async function serveDynamo(
  req: DynamoHttpRequest,
  body: Buffer | Promise<Buffer>,
  respond: DynamoResponder,
  target: DynamoRoute,
  deps: DynamoEndpointDeps,
): Promise<void> {
  const requestId = dynamoRequestId();
  const rawContentType = req.headers['content-type'];
  // What every SDK sends needs no parsing.
  const contentTypeHeader =
    rawContentType === 'application/x-amz-json-1.0' ? rawContentType : (rawContentType ?? '').split(';')[0]!.trim().toLowerCase();
  const contentType = contentTypeHeader === 'application/json' ? 'application/json' : 'application/x-amz-json-1.0';
  const fail = (err: AwsError) => send(respond, requestId, err.status, renderDynamoError(err), contentType);
  try {
    let raw: Buffer;
    try {
      raw = body instanceof Buffer ? body : await body;
    } catch (err) {
      if (err instanceof BodyTooLargeError) return fail(dynamoError('RequestEntityTooLarge'));
      throw err;
    }
    if (req.method !== 'POST' || (raw.length > 0 && !JSON_TYPES.has(contentTypeHeader))) {
      respond(404, ['x-amzn-RequestId', requestId, 'content-length', String(UNKNOWN_OPERATION.length), 'x-amz-crc32', String(crc32(UNKNOWN_OPERATION))], UNKNOWN_OPERATION);
      return;
    }
    let input: unknown;
    if (raw.length > 0) {
      try {
        const encoding = req.headers['content-encoding'];
        const decoded = encoding ? await decodeContent(raw, encoding, MAX_REQUEST_BYTES) : raw;
        input = JSON.parse(decoded.toString('utf8'));
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
    const result = await service.runOperation(target.operation, input, {
      accountId: identity.accountId,
      region: identity.region,
      requestId,
      store: deps.store,
      settings: deps.settings,
    });
    send(respond, requestId, 200, renderResult(result), contentType);
  } catch (err) {
    if (isAwsError(err)) return fail(err);
    deps.log.error(`DynamoDB ${target.target} failed: ${(err as Error)?.stack ?? String(err)}`);
    fail(dynamoError('InternalServerError'));
  }
}
