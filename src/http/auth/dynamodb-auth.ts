import { dynamoError } from '../../errors/dynamodb-errors';
import type { AwsError } from '../../errors/aws-error';
import { headerValue } from '../../util/headers';
import { canonicalQueryString, normalizedCanonicalUri, parseQuery } from './canonical';
import type { CredentialStore } from './credentials';
import { computeSignature, requestTime, type AuthResult, type SignedRequest } from './signed-request';
import { signaturesMatch } from '../../util/signatures';
import { ALGORITHM, formatAmzDate, MAX_CLOCK_SKEW_MS, TERMINATOR, type CredentialScope } from './signing';

/**
 * DynamoDB's header authentication, with the Coral framework's checks in its order and words. Messages are
 * DynamoDB's own as recorded by dynalite (captured from the live service) and in SDK issue reports; DynamoDB
 * has no query-string authentication, so anything without an `AWS4-` Authorization header is unauthenticated.
 */

const SERVICE = 'dynamodb';
const REQUIRED_PARAMS = ['Credential', 'Signature', 'SignedHeaders'] as const;

const incomplete = (message: string): AwsError => dynamoError('IncompleteSignatureException', message);
const invalid = (message: string): AwsError => dynamoError('InvalidSignatureException', message);

/**
 * An Authorization header's parts besides its signature, and the outcome of every check that reads nothing else:
 * a client sends the same ones all day, so they are worked out once (see `parsedHeaders`).
 */
interface ParsedAuthorization {
  params: Map<string, string>;
  /** DynamoDB's sentences for the required parameters that are missing; empty when none is. */
  missingParams: string;
  signedHeaders: string[];
  hostSigned: boolean;
  scopeParts: string[];
  /** With exactly 5 scope parts: the scope, and the sentences of its checks except the date's, which needs the request's time. */
  scope?: CredentialScope & { accessKeyId: string; errors: string };
}

// A client signs every request of a day under one Authorization header but for its signature, so the
// parse of the rest is kept, keyed by the header before its signature. The checks run on every request.
const SIGNATURE_PARAM = 'Signature=';
const PARSED_MAX = 256;
const parsedHeaders = new Map<string, ParsedAuthorization>();

/**
 * The trimmed header as what comes before its signature and the signature, when its last parameter is a
 * bare `Signature=` (as every SDK sends it): then any header with the same beginning parses the same but
 * for the signature.
 */
function splitSignature(auth: string): { head: string; signature: string } | undefined {
  const at = auth.lastIndexOf(SIGNATURE_PARAM);
  if (at <= 0) return undefined;
  const head = auth.slice(0, at);
  const signature = auth.slice(at + SIGNATURE_PARAM.length);
  const comma = head.lastIndexOf(',');
  if (signature === '' || /[\s,]/.test(signature) || comma < 0 || head.slice(comma + 1).trim() !== '') return undefined;
  return { head, signature };
}

/** Splits the parameters after the algorithm (`auth` is the trimmed header); throws on a malformed pair. */
function parseAuthorization(authorization: string, auth: string, space: number): ParsedAuthorization {
  const params = new Map<string, string>();
  for (const part of space < 0 ? [] : auth.slice(space + 1).split(',')) {
    const pair = part.trim();
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq < 0) {
      throw incomplete(`'${pair}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`);
    }
    params.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  let missingParams = '';
  for (const name of REQUIRED_PARAMS) {
    if (!params.get(name)) missingParams += `Authorization header requires '${name}' parameter. `;
  }
  const signedHeaders = (params.get('SignedHeaders') ?? '').toLowerCase().split(';');
  // Trailing slashes are ignored, as DynamoDB does.
  const scopeParts = (params.get('Credential') ?? '').replace(/\/+$/, '').split('/');
  return { params, missingParams, signedHeaders, hostSigned: signedHeaders.includes('host'), scopeParts, scope: parseScope(scopeParts) };
}

function parseScope(scopeParts: string[]): ParsedAuthorization['scope'] {
  if (scopeParts.length !== 5) return undefined;
  const [accessKeyId, date, region, service, terminator] = scopeParts as [string, string, string, string, string];
  // Basalt serves every region, so any non-empty one is valid; the sentences are joined as DynamoDB joins them.
  let errors = '';
  if (region === '') errors += `Credential should be scoped to a valid region, not '${region}'. `;
  if (service !== SERVICE) errors += `Credential should be scoped to correct service: '${SERVICE}'. `;
  if (terminator !== TERMINATOR) errors += `Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${terminator}'. `;
  return { accessKeyId, date, region, service, errors };
}

export function verifyDynamoRequest(req: SignedRequest, store: CredentialStore, now: number): AuthResult {
  if (req.payloadHash === undefined) throw new Error('DynamoDB requests are verified against the buffered body hash');
  const authorization = headerValue(req.headers, 'authorization');
  const auth = authorization?.trim() ?? '';
  if (authorization === undefined || !auth.startsWith('AWS4-')) {
    throw dynamoError('MissingAuthenticationTokenException');
  }
  const space = auth.indexOf(' ');
  const algorithm = space < 0 ? auth : auth.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw incomplete(`Unsupported AWS 'algorithm': '${algorithm}' (only AWS4-HMAC-SHA256 for now). `);
  }

  const split = splitSignature(auth);
  let parsed = split && parsedHeaders.get(split.head);
  if (parsed === undefined) {
    parsed = parseAuthorization(authorization, auth, space);
    if (split) {
      if (parsedHeaders.size >= PARSED_MAX) parsedHeaders.clear();
      parsedHeaders.set(split.head, parsed);
    }
  }
  // The last parameter wins, as in the parse: with `split`, that is the signature it found.
  const providedSignature = split?.signature ?? parsed.params.get('Signature');
  const time = requestTime(req.headers);
  const missing = time === undefined ? `${parsed.missingParams}Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ` : parsed.missingParams;
  if (missing !== '' || time === undefined) throw incomplete(`${missing}Authorization=${authorization}`);

  if (!parsed.hostSigned) {
    throw invalid("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const instant = time.instant;
  if (instant === undefined) {
    throw incomplete(`Date must be in ISO-8601 'basic format'. Got '${time.raw}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }
  checkSkew(instant, now);

  const { scope } = parsed;
  if (scope === undefined) {
    throw incomplete(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${parsed.params.get('Credential')!}'`,
    );
  }
  const requestDay = instant.amzDate.slice(0, 8);
  if (scope.date !== requestDay) {
    throw invalid(
      `${scope.errors}Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${requestDay}', from '${time.raw}'.`,
    );
  }
  if (scope.errors !== '') throw invalid(scope.errors);

  const key = store.lookup(scope.accessKeyId);
  if (key === undefined) throw dynamoError('UnrecognizedClientException');
  const computed = computeSignature(key.secretAccessKey, scope, instant.amzDate, {
    method: req.method,
    canonicalUri: normalizedCanonicalUri(req.rawPath),
    canonicalQuery: canonicalQueryString(parseQuery(req.rawQuery)),
    signedHeaders: parsed.signedHeaders,
    headers: req.headers,
    payloadHash: req.payloadHash,
  });
  if (!signaturesMatch(computed.signature, providedSignature!)) {
    throw invalid(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return {
    accessKeyId: scope.accessKeyId,
    accountId: key.accountId,
    region: scope.region,
    service: SERVICE,
    signedPayload: true,
    declaredPayloadHash: req.payloadHash,
  };
}

function checkSkew(instant: { ms: number; amzDate: string }, now: number): void {
  if (instant.ms < now - MAX_CLOCK_SKEW_MS) {
    throw invalid(
      `Signature expired: ${instant.amzDate} is now earlier than ${formatAmzDate(now - MAX_CLOCK_SKEW_MS)} (${formatAmzDate(now)} - 15 min.)`,
    );
  }
  if (instant.ms > now + MAX_CLOCK_SKEW_MS) {
    throw invalid(
      `Signature not yet current: ${instant.amzDate} is still later than ${formatAmzDate(now + MAX_CLOCK_SKEW_MS)} (${formatAmzDate(now)} + 15 min.)`,
    );
  }
}
