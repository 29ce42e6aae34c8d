/**
 * Query parameters shared by the listing operations (ListObjects, ListObjectsV2, ListObjectVersions):
 * max-keys, encoding-type, prefix and delimiter.
 */
import { s3Error } from '../errors/s3-errors';
import type { S3Request } from './operation';

const DEFAULT_MAX_KEYS = 1000;

/** S3's encoding-type=url: percent-encoding that keeps `/` and writes spaces as `+`. */
const urlEncode = (text: string): string => encodeURIComponent(text).replace(/%2F/g, '/').replace(/%20/g, '+');

export function parseListParams(req: S3Request) {
  const maxKeysText = req.query.get('max-keys');
  let maxKeys = DEFAULT_MAX_KEYS;
  if (maxKeysText !== undefined) {
    if (!/^\d+$/.test(maxKeysText) || Number(maxKeysText) > 2147483647) {
      throw s3Error('InvalidArgument', 'Provided max-keys not an integer or within integer range', { ArgumentName: 'max-keys', ArgumentValue: maxKeysText });
    }
    maxKeys = Math.min(Number(maxKeysText), DEFAULT_MAX_KEYS);
  }
  const encodingType = req.query.get('encoding-type');
  if (encodingType !== undefined && encodingType.toLowerCase() !== 'url') {
    throw s3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', { ArgumentName: 'encoding-type', ArgumentValue: encodingType });
  }
  const encode = encodingType !== undefined ? urlEncode : (s: string) => s;
  return { maxKeys, encodingType: encodingType?.toLowerCase(), encode, prefix: req.query.get('prefix') ?? '', delimiter: req.query.get('delimiter') ?? '' };
}
