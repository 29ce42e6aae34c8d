import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { python } from '../helpers/python';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { startBasalt, tempDir, type BasaltProcess } from '../helpers/basalt';
import { awsCli } from '../helpers/cli';

let basalt: BasaltProcess;
const dir = tempDir('basalt-s3-clients-');
before(async () => {
  basalt = await startBasalt(['--data-dir', join(dir.path, 'data')]);
  await basalt.s3().send(new CreateBucketCommand({ Bucket: 'clients' }));
});
after(async () => {
  await basalt.stop();
  dir.remove();
});


test('boto3: put_object with metadata, get_object, head_object, list_objects_v2, errors', async () => {
  const result = await python(`
import json, os, boto3, botocore
s3 = boto3.client('s3', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1', aws_access_key_id='test',
                  aws_secret_access_key='test', config=botocore.config.Config(s3={'addressing_style': 'path'}))
put = s3.put_object(Body=b'filetoupload', Bucket='clients', Key='objectkey', Metadata={'metadata1': 'value1', 'metadata2': 'value2'},
                    Tagging='key1=value1&key2=value2', ServerSideEncryption='AES256', StorageClass='STANDARD_IA')
got = s3.get_object(Bucket='clients', Key='objectkey')
head = s3.head_object(Bucket='clients', Key='objectkey')
listing = s3.list_objects_v2(Bucket='clients')
try:
    s3.get_object(Bucket='clients', Key='missing')
    missing = None
except botocore.exceptions.ClientError as e:
    missing = e.response['Error']['Code']
print(json.dumps({'etag': put['ETag'], 'sse': put.get('ServerSideEncryption'), 'body': got['Body'].read().decode(),
    'meta': got['Metadata'], 'tags': got.get('TagCount'), 'headMeta': head['Metadata'], 'length': head['ContentLength'],
    'storage': head.get('StorageClass'), 'keys': [c['Key'] for c in listing['Contents']], 'count': listing['KeyCount'], 'missing': missing}))
`, basalt.endpoint);
  assert.equal(result.code, 0, result.stderr);
  const out = JSON.parse(result.stdout);
  // The seed's example ETag is illustrative; S3's ETag of a single PUT is the quoted hex MD5 of the body.
  assert.equal(out.etag, '"f6cae9529f28a6529502af76b0dbc882"');
  assert.equal(out.sse, 'AES256');
  assert.equal(out.body, 'filetoupload');
  assert.deepEqual(out.meta, { metadata1: 'value1', metadata2: 'value2' });
  assert.deepEqual(out.headMeta, { metadata1: 'value1', metadata2: 'value2' });
  assert.equal(out.tags, 2);
  assert.equal(out.length, 12);
  assert.equal(out.storage, 'STANDARD_IA');
  assert.deepEqual(out.keys, ['objectkey']);
  assert.equal(out.count, 1);
  assert.equal(out.missing, 'NoSuchKey');
});

test('AWS CLI: s3 cp up and back, s3 ls, s3api put-object', async () => {
  const file = join(dir.path, 'hello.txt');
  writeFileSync(file, 'hello from the cli\n');
  const up = await awsCli(basalt.endpoint, ['s3', 'cp', file, 's3://clients/cli/hello.txt']);
  assert.equal(up.code, 0, up.stderr);
  const back = join(dir.path, 'back.txt');
  const down = await awsCli(basalt.endpoint, ['s3', 'cp', 's3://clients/cli/hello.txt', back]);
  assert.equal(down.code, 0, down.stderr);
  assert.equal(readFileSync(back, 'utf8'), 'hello from the cli\n');
  const ls = await awsCli(basalt.endpoint, ['s3', 'ls', 's3://clients/cli/']);
  assert.equal(ls.code, 0, ls.stderr);
  assert.match(ls.stdout, /\s19 hello\.txt\n$/);
  const buckets = await awsCli(basalt.endpoint, ['s3', 'ls']);
  assert.match(buckets.stdout, / clients\n/);
  const put = await awsCli(basalt.endpoint, ['s3api', 'put-object', '--bucket', 'clients', '--key', 'api.txt', '--body', file, '--content-type', 'text/plain', '--metadata', 'a=b']);
  assert.equal(put.code, 0, put.stderr);
  assert.equal(JSON.parse(put.stdout).ETag, '"' + require('node:crypto').createHash('md5').update('hello from the cli\n').digest('hex') + '"');
  const head = await awsCli(basalt.endpoint, ['s3api', 'head-object', '--bucket', 'clients', '--key', 'api.txt']);
  assert.equal(head.code, 0, head.stderr);
  assert.deepEqual(JSON.parse(head.stdout).Metadata, { a: 'b' });
  const rm = await awsCli(basalt.endpoint, ['s3', 'rm', 's3://clients/cli/hello.txt']);
  assert.equal(rm.code, 0, rm.stderr);
});

/** A presigned URL made to expire after one second is refused as S3 refuses it, once that second is over. */
async function assertExpiresSoon(url: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 2100));
  const expired = await fetch(url);
  assert.equal(expired.status, 403);
  const body = await expired.text();
  assert.match(body, /<Code>AccessDenied<\/Code>/);
  assert.match(body, /<Message>Request has expired<\/Message>/);
}

test('presigned URLs made by boto3: PUT and GET with plain HTTP, a week\'s expiry; an expired URL is AccessDenied', async () => {
  const result = await python(`
import json, os, boto3, botocore
s3 = boto3.client('s3', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1', aws_access_key_id='test',
                  aws_secret_access_key='test', config=botocore.config.Config(s3={'addressing_style': 'path'}, signature_version='s3v4'))
print(json.dumps({
  'put': s3.generate_presigned_url('put_object', Params={'Bucket': 'clients', 'Key': 'presigned.txt'}, ExpiresIn=604800),
  'get': s3.generate_presigned_url('get_object', Params={'Bucket': 'clients', 'Key': 'presigned.txt'}, ExpiresIn=3600),
  'soon': s3.generate_presigned_url('get_object', Params={'Bucket': 'clients', 'Key': 'presigned.txt'}, ExpiresIn=1),
}))
`, basalt.endpoint);
  assert.equal(result.code, 0, result.stderr);
  const urls = JSON.parse(result.stdout) as { put: string; get: string; soon: string };
  const put = await fetch(urls.put, { method: 'PUT', body: 'sent through a presigned URL' });
  assert.equal(put.status, 200, await put.text());
  const get = await fetch(urls.get);
  assert.equal(get.status, 200);
  assert.equal(await get.text(), 'sent through a presigned URL');
  // Changing what was signed breaks the signature.
  const tampered = await fetch(urls.get.replace('presigned.txt', 'other.txt'));
  assert.equal(tampered.status, 403);
  assert.match(await tampered.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
  await assertExpiresSoon(urls.soon);
});

test('Signature Version 2, what boto3 and the AWS CLI v1 use by default for presigned URLs in us-east-1', async () => {
  const result = await python(`
import json, os, boto3, botocore
def client(secret='test', **config):
    return boto3.client('s3', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1', aws_access_key_id='test',
                        aws_secret_access_key=secret, config=botocore.config.Config(s3={'addressing_style': 'path'}, **config))
s3 = client()
# Requests signed with SigV2 throughout (the 's3' signer): put, get, a sub-resource, a listing, a delete.
v2 = client(signature_version='s3')
v2.put_object(Bucket='clients', Key='v2/a b.txt', Body=b'signed with sigv2', ContentType='text/plain', Metadata={'m': '1'})
got = v2.get_object(Bucket='clients', Key='v2/a b.txt')
tags = v2.get_object_tagging(Bucket='clients', Key='v2/a b.txt')
listed = [o['Key'] for o in v2.list_objects(Bucket='clients', Prefix='v2/')['Contents']]
try:
    client(secret='wrong', signature_version='s3').list_objects(Bucket='clients')
    wrong = None
except botocore.exceptions.ClientError as e:
    wrong = [e.response['Error']['Code'], e.response['Error']['Message']]
print(json.dumps({
  'put': s3.generate_presigned_url('put_object', Params={'Bucket': 'clients', 'Key': 'v2/presigned.txt', 'ContentType': 'text/plain'}, ExpiresIn=604800),
  'get': s3.generate_presigned_url('get_object', Params={'Bucket': 'clients', 'Key': 'v2/presigned.txt', 'ResponseContentDisposition': 'attachment; filename="p.txt"'}, ExpiresIn=3600),
  'soon': s3.generate_presigned_url('get_object', Params={'Bucket': 'clients', 'Key': 'v2/presigned.txt'}, ExpiresIn=1),
  'body': got['Body'].read().decode(), 'meta': got['Metadata'], 'type': got['ContentType'], 'tags': tags['TagSet'],
  'listed': listed, 'wrong': wrong,
}))
v2.delete_object(Bucket='clients', Key='v2/a b.txt')
`, basalt.endpoint);
  assert.equal(result.code, 0, result.stderr);
  const out = JSON.parse(result.stdout);
  assert.equal(out.body, 'signed with sigv2');
  assert.deepEqual(out.meta, { m: '1' });
  assert.equal(out.type, 'text/plain');
  assert.deepEqual(out.tags, []);
  assert.deepEqual(out.listed, ['v2/a b.txt']);
  assert.deepEqual(out.wrong, ['SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.']);

  // boto3's default presigner in us-east-1 makes SigV2 URLs.
  for (const url of [out.put, out.get, out.soon]) {
    const params = new URL(url).searchParams;
    assert.equal(params.get('AWSAccessKeyId'), 'test', url);
    assert.match(params.get('Signature') ?? '', /^[A-Za-z0-9+/]{27}=$/, url);
    assert.match(params.get('Expires') ?? '', /^\d+$/, url);
    assert.equal(params.get('X-Amz-Signature'), null, url);
  }
  const put = await fetch(out.put, { method: 'PUT', body: 'through a SigV2 URL', headers: { 'content-type': 'text/plain' } });
  assert.equal(put.status, 200, await put.text());
  // Content-Type was signed: another one breaks the signature.
  const otherType = await fetch(out.put, { method: 'PUT', body: 'x', headers: { 'content-type': 'text/html' } });
  assert.equal(otherType.status, 403);
  assert.match(await otherType.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
  const get = await fetch(out.get);
  assert.equal(get.status, 200);
  assert.equal(get.headers.get('content-disposition'), 'attachment; filename="p.txt"');
  assert.equal(await get.text(), 'through a SigV2 URL');
  const tampered = await fetch(out.get.replace('presigned.txt', 'other.txt'));
  assert.equal(tampered.status, 403);
  assert.match(await tampered.text(), /<Code>SignatureDoesNotMatch<\/Code>/);

  // `aws s3 presign`: SigV2 from the AWS CLI v1, SigV4 from v2 (whichever is installed; both are served).
  const cli = await awsCli(basalt.endpoint, ['s3', 'presign', 's3://clients/v2/presigned.txt']);
  assert.equal(cli.code, 0, cli.stderr);
  const cliGet = await fetch(cli.stdout.trim());
  assert.equal(cliGet.status, 200, cli.stdout);
  assert.equal(await cliGet.text(), 'through a SigV2 URL');

  await assertExpiresSoon(out.soon);
});

test('Signature Version 2 with virtual-hosted addressing: the bucket, named by the Host header, is signed too', async () => {
  const result = await python(`
import json, os, socket, urllib.request, boto3, botocore
# BUCKET.localhost names this machine, as browsers and curl resolve it; Python's resolver needs telling.
resolve = socket.getaddrinfo
socket.getaddrinfo = lambda host, *rest: resolve('127.0.0.1' if host.endswith('.localhost') else host, *rest)
endpoint = os.environ['ENDPOINT'].replace('127.0.0.1', 'localhost')
def client(**config):
    return boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test',
                        config=botocore.config.Config(s3={'addressing_style': 'virtual'}, **config))
v2 = client(signature_version='s3')
v2.put_object(Bucket='clients', Key='vhost/v2.txt', Body=b'virtual and sigv2', Tagging='a=b')
body = v2.get_object(Bucket='clients', Key='vhost/v2.txt')['Body'].read().decode()
tags = v2.get_object_tagging(Bucket='clients', Key='vhost/v2.txt')['TagSet']
listed = [o['Key'] for o in v2.list_objects(Bucket='clients', Prefix='vhost/')['Contents']]
url = client().generate_presigned_url('get_object', Params={'Bucket': 'clients', 'Key': 'vhost/v2.txt'}, ExpiresIn=60)
fetched = urllib.request.urlopen(url).read().decode()
v2.delete_object(Bucket='clients', Key='vhost/v2.txt')
print(json.dumps({'body': body, 'tags': tags, 'listed': listed, 'url': url, 'fetched': fetched}))
`, basalt.endpoint);
  assert.equal(result.code, 0, result.stderr);
  const out = JSON.parse(result.stdout);
  assert.equal(out.body, 'virtual and sigv2');
  assert.deepEqual(out.tags, [{ Key: 'a', Value: 'b' }]);
  assert.deepEqual(out.listed, ['vhost/v2.txt']);
  assert.match(out.url, /^http:\/\/clients\.localhost:\d+\/vhost\/v2\.txt\?AWSAccessKeyId=test&Signature=/);
  assert.equal(out.fetched, 'virtual and sigv2');
});

test('boto3: the seven put_object examples of the reference, verbatim, on a versioned bucket', async () => {
  const result = await python(`
import json, os, boto3, botocore
client = boto3.client('s3', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1', aws_access_key_id='test',
                      aws_secret_access_key='test', config=botocore.config.Config(s3={'addressing_style': 'path'}))
client.create_bucket(Bucket='examplebucket')
client.put_bucket_versioning(Bucket='examplebucket', VersioningConfiguration={'Status': 'Enabled'})
out = []
def show(response):
    out.append({k: v for k, v in response.items() if k != 'ResponseMetadata'})
show(client.put_object(Body='filetoupload', Bucket='examplebucket', Key='objectkey'))
show(client.put_object(Body='HappyFace.jpg', Bucket='examplebucket', Key='HappyFace.jpg', ServerSideEncryption='AES256', StorageClass='STANDARD_IA'))
show(client.put_object(ACL='authenticated-read', Body='filetoupload', Bucket='examplebucket', Key='exampleobject'))
show(client.put_object(Body='HappyFace.jpg', Bucket='examplebucket', Key='HappyFace.jpg'))
show(client.put_object(Body='filetoupload', Bucket='examplebucket', Key='exampleobject', Metadata={'metadata1': 'value1', 'metadata2': 'value2'}))
show(client.put_object(Body='c:\\\\HappyFace.jpg', Bucket='examplebucket', Key='HappyFace.jpg', Tagging='key1=value1&key2=value2'))
show(client.put_object(Body='filetoupload', Bucket='examplebucket', Key='exampleobject', ServerSideEncryption='AES256', Tagging='key1=value1&key2=value2'))
versions = client.list_object_versions(Bucket='examplebucket')['Versions']
acl = client.get_object_acl(Bucket='examplebucket', Key='exampleobject', VersionId=out[2]['VersionId'])
head = client.head_object(Bucket='examplebucket', Key='exampleobject', VersionId=out[4]['VersionId'])
tags = client.get_object_tagging(Bucket='examplebucket', Key='exampleobject')
print(json.dumps({'responses': out, 'versions': len(versions),
  'acl': sorted(g['Grantee'].get('URI', g['Grantee'].get('ID', '')) + ':' + g['Permission'] for g in acl['Grants']),
  'meta': head['Metadata'], 'tags': tags['TagSet'], 'tagsVersion': tags['VersionId']}))
`, basalt.endpoint);
  assert.equal(result.code, 0, result.stderr);
  const out = JSON.parse(result.stdout) as {
    responses: Record<string, string>[]; versions: number; acl: string[]; meta: Record<string, string>; tags: unknown[]; tagsVersion: string;
  };
  const md5 = (text: string) => `"${createHash('md5').update(text).digest('hex')}"`;
  const bodies = ['filetoupload', 'HappyFace.jpg', 'filetoupload', 'HappyFace.jpg', 'filetoupload', 'c:\\HappyFace.jpg', 'filetoupload'];
  out.responses.forEach((r, i) => {
    assert.equal(r.ETag, md5(bodies[i]!), `example ${i + 1}`);
    assert.match(r.VersionId!, /^\S+$/);
    // S3 encrypts every new object with SSE-S3 unless told otherwise, and says so (the examples predate that).
    assert.equal(r.ServerSideEncryption, 'AES256', `example ${i + 1}`);
  });
  assert.equal(new Set(out.responses.map((r) => r.VersionId)).size, 7);
  assert.equal(out.versions, 7);
  assert.deepEqual(out.acl, ['000000000000:FULL_CONTROL', 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers:READ'].sort());
  assert.deepEqual(out.meta, { metadata1: 'value1', metadata2: 'value2' });
  assert.deepEqual(out.tags, [{ Key: 'key1', Value: 'value1' }, { Key: 'key2', Value: 'value2' }]);
  assert.equal(out.tagsVersion, out.responses[6]!.VersionId);
});
