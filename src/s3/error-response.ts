/**
 * S3 errors that carry response headers (a delete marker's x-amz-delete-marker and x-amz-version-id on a
 * 404 / 405): the handler answers them itself, as an ordinary response with S3's error document (the same
 * document the HTTP layer renders for thrown errors).
 */
import { randomBytes } from 'node:crypto';
import type { AwsError } from '../errors/aws-error';
import { escapeXml } from './xml';
import type { S3Context, S3Request, S3Response } from './operation';

export class ErrorWithHeaders extends Error {
  constructor(readonly error: AwsError, readonly headers: Record<string, string>) {
    super(error.message);
  }
}

export function errorResponse(ctx: S3Context, req: S3Request, e: ErrorWithHeaders): S3Response {
  const err = e.error;
  let extra = '';
  for (const [name, value] of Object.entries(err.fields)) extra += `<${name}>${escapeXml(String(value))}</${name}>`;
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${err.code}</Code><Message>${escapeXml(err.message)}</Message>${extra}` +
    `<Resource>${escapeXml(req.resource)}</Resource><RequestId>${ctx.requestId}</RequestId>` +
    `<HostId>${randomBytes(32).toString('base64')}</HostId></Error>`;
  return { status: err.status, headers: { ...e.headers, 'content-type': 'application/xml' }, body: Buffer.from(xml, 'utf8') };
}
