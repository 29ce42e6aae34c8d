/** ACLs: canned ACLs and x-amz-grant-* headers on writes, the AccessControlPolicy document on reads/writes. */
import { s3Error } from '../errors/s3-errors';
import { escapeXml } from './xml';
import { header, type S3Request } from './operation';
import type { Acl, Grant } from './records';
import { child, childrenNamed, childText, parseXml } from './xml-parse';
import { S3_XMLNS } from './xml-tree';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

export const OBJECT_CANNED_ACLS = [
  'private', 'public-read', 'public-read-write', 'authenticated-read', 'aws-exec-read', 'bucket-owner-read',
  'bucket-owner-full-control',
] as const;

const GRANT_HEADERS: ReadonlyArray<readonly [string, Grant['permission']]> = [
  ['x-amz-grant-full-control', 'FULL_CONTROL'],
  ['x-amz-grant-read', 'READ'],
  ['x-amz-grant-read-acp', 'READ_ACP'],
  ['x-amz-grant-write', 'WRITE'],
  ['x-amz-grant-write-acp', 'WRITE_ACP'],
];

function cannedAcl(name: string, owner: string, bucketOwner: string, allowed: readonly string[]): Acl {
  if (!allowed.includes(name)) throw s3Error('InvalidArgument', undefined, { ArgumentName: 'x-amz-acl', ArgumentValue: name });
  const grants: Grant[] = [{ type: 'CanonicalUser', id: owner, permission: 'FULL_CONTROL' }];
  const group = (uri: string, permission: Grant['permission']): Grant => ({ type: 'Group', uri, permission });
  if (name === 'public-read') grants.push(group(ALL_USERS, 'READ'));
  if (name === 'public-read-write') grants.push(group(ALL_USERS, 'READ'), group(ALL_USERS, 'WRITE'));
  if (name === 'authenticated-read') grants.push(group(AUTHENTICATED_USERS, 'READ'));
  if (name === 'log-delivery-write') grants.push(group(LOG_DELIVERY, 'WRITE'), group(LOG_DELIVERY, 'READ_ACP'));
  if (bucketOwner !== owner && name === 'bucket-owner-read') grants.push({ type: 'CanonicalUser', id: bucketOwner, permission: 'READ' });
  if (bucketOwner !== owner && name === 'bucket-owner-full-control') grants.push({ type: 'CanonicalUser', id: bucketOwner, permission: 'FULL_CONTROL' });
  return { owner, grants };
}

/** `id="…", uri="…"` lists of one x-amz-grant-* header. */
function parseGrantHeader(value: string, permission: Grant['permission']): Grant[] {
  const grants: Grant[] = [];
  for (const part of value.split(',')) {
    const m = /^\s*(id|uri|emailAddress)\s*=\s*"?([^"]*)"?\s*$/i.exec(part);
    if (!m) throw s3Error('InvalidArgument', undefined, { ArgumentName: 'x-amz-grant', ArgumentValue: value });
    const kind = m[1]!.toLowerCase();
    if (kind === 'id') grants.push({ type: 'CanonicalUser', id: m[2]!, permission });
    else if (kind === 'uri') grants.push({ type: 'Group', uri: m[2]!, permission });
    else throw s3Error('UnresolvableGrantByEmailAddress', undefined, { EmailAddress: m[2]! });
  }
  return grants;
}

/** The ACL a write asks for through x-amz-acl or x-amz-grant-*; undefined when it names none. */
export function aclFromHeaders(req: S3Request, owner: string, bucketOwner: string, canned: readonly string[] = OBJECT_CANNED_ACLS): Acl | undefined {
  const cannedName = header(req, 'x-amz-acl');
  const grantHeaders = GRANT_HEADERS.filter(([h]) => header(req, h) !== undefined);
  if (cannedName !== undefined && grantHeaders.length > 0) {
    throw s3Error('InvalidRequest', 'Specifying both Canned ACLs and Header Grants is not allowed');
  }
  if (cannedName !== undefined) return cannedAcl(cannedName, owner, bucketOwner, canned);
  if (grantHeaders.length === 0) return undefined;
  return { owner, grants: grantHeaders.flatMap(([h, permission]) => parseGrantHeader(header(req, h)!, permission)) };
}

const PERMISSIONS = new Set(['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP']);

/** An AccessControlPolicy document, as PutObjectAcl/PutBucketAcl send it. */
export function aclFromXml(xml: string, owner: string): Acl {
  const root = parseXml(xml);
  if (root.name !== 'AccessControlPolicy') throw s3Error('MalformedACLError');
  const ownerId = child(root, 'Owner') ? childText(child(root, 'Owner')!, 'ID') : undefined;
  if (ownerId !== undefined && ownerId !== owner) throw s3Error('AccessDenied');
  const list = child(root, 'AccessControlList');
  const grants: Grant[] = [];
  for (const g of list ? childrenNamed(list, 'Grant') : []) {
    const grantee = child(g, 'Grantee');
    const permission = childText(g, 'Permission') ?? '';
    if (!grantee || !PERMISSIONS.has(permission)) throw s3Error('MalformedACLError');
    const type = grantee.attributes['type'];
    const p = permission as Grant['permission'];
    if (type === 'CanonicalUser' && childText(grantee, 'ID')) grants.push({ type, id: childText(grantee, 'ID')!, permission: p });
    else if (type === 'Group' && childText(grantee, 'URI')) grants.push({ type, uri: childText(grantee, 'URI')!, permission: p });
    else if (type === 'AmazonCustomerByEmail') throw s3Error('UnresolvableGrantByEmailAddress', undefined, { EmailAddress: childText(grantee, 'EmailAddress') ?? '' });
    else throw s3Error('MalformedACLError');
  }
  return { owner, grants };
}

/** AccessControlPolicy XML; written by hand because grantees carry an xsi:type attribute. */
export function renderAcl(acl: Acl, displayName: string): Buffer {
  const grants = acl.grants
    .map((g) => {
      const who =
        g.type === 'CanonicalUser'
          ? `<ID>${escapeXml(g.id ?? '')}</ID>${g.id === acl.owner ? `<DisplayName>${escapeXml(displayName)}</DisplayName>` : ''}`
          : g.type === 'Group'
            ? `<URI>${escapeXml(g.uri ?? '')}</URI>`
            : `<EmailAddress>${escapeXml(g.email ?? '')}</EmailAddress>`;
      return `<Grant><Grantee xmlns:xsi="${XSI}" xsi:type="${g.type}">${who}</Grantee><Permission>${g.permission}</Permission></Grant>`;
    })
    .join('');
  return Buffer.from(
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<AccessControlPolicy xmlns="${S3_XMLNS}"><Owner><ID>${escapeXml(acl.owner)}</ID><DisplayName>${escapeXml(displayName)}</DisplayName></Owner>` +
      `<AccessControlList>${grants}</AccessControlList></AccessControlPolicy>`,
    'utf8',
  );
}
