import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError, isAwsError } from '../errors/aws-error';
import { s3Error } from '../errors/s3-errors';
import { listBuckets } from '../s3/list-buckets';
import type { S3Context } from '../s3/operation';
import { S3_XMLNS, type XmlDocument } from '../s3/xml-tree';
import type { StorageEngine } from '../storage/engine';
import type { Logger } from '../util/log';
import type { Authenticator } from './authenticate';
import { s3RequestIds } from './request-id';
import type { Route } from './router';
import { escapeXml, toXmlDocument } from './xml';

export interface S3EndpointDeps {
  store: StorageEngine;
  authenticate: Authenticator;
  log: Logger;
}

type S3Route = Extract<Route, { kind: 's3' }>;

function sendXml(req: IncomingMessage, res: ServerResponse, status: number, xml: string): void {
  const bytes = Buffer.from(xml, 'utf8');
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': bytes.length });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

export function renderS3Error(err: AwsError, resource: string, requestId: string, hostId: string): string {
  let extra = '';
  for (const [name, value] of Object.entries(err.fields)) extra += `<${name}>${escapeXml(String(value))}</${name}>`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${err.code}</Code><Message>${escapeXml(err.message)}</Message>${extra}` +
    `<Resource>${escapeXml(resource)}</Resource><RequestId>${requestId}</RequestId><HostId>${escapeXml(hostId)}</HostId></Error>`
  );
}

/** Chooses the S3 operation for a request; operations other than ListBuckets come with the S3 issue. */
async function dispatch(req: IncomingMessage, target: S3Route, ctx: S3Context): Promise<XmlDocument> {
  if (target.bucket === undefined) {
    if (req.method === 'GET') return listBuckets(ctx);
    throw s3Error('MethodNotAllowed', undefined, { Method: req.method ?? '', ResourceType: 'SERVICE' });
  }
  // No operation can create a bucket yet, so every bucket is one that does not exist.
  throw s3Error('NoSuchBucket', undefined, { BucketName: target.bucket });
}

export async function serveS3(req: IncomingMessage, res: ServerResponse, target: S3Route, deps: S3EndpointDeps): Promise<void> {
  const { requestId, hostId } = s3RequestIds();
  res.setHeader('x-amz-request-id', requestId);
  res.setHeader('x-amz-id-2', hostId);
  const resource = (req.url ?? '/').split('?')[0]!;
  // Bodies of requests no operation reads yet are drained so the connection stays usable.
  req.resume();
  try {
    const identity = deps.authenticate(req, 's3', undefined);
    if (identity.anonymous) throw s3Error('AccessDenied');
    const doc = await dispatch(req, target, {
      accountId: identity.accountId,
      accessKeyId: identity.accessKeyId,
      region: identity.region,
      requestId,
      store: deps.store,
    });
    sendXml(req, res, 200, toXmlDocument(doc.root, doc.body, S3_XMLNS));
  } catch (err) {
    if (!isAwsError(err)) deps.log.error(`S3 ${req.method} ${resource} failed: ${(err as Error)?.stack ?? String(err)}`);
    const failure = isAwsError(err) ? err : s3Error('InternalError');
    sendXml(req, res, failure.status, renderS3Error(failure, resource, requestId, hostId));
  }
}
