/** S3's naming rules for general purpose buckets (checked on CreateBucket only; other calls just miss). */
import { s3Error } from '../../errors/s3-errors';

const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'length';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return 'characters';
  if (name.includes('..')) return 'adjacent periods';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'IP address';
  if (RESERVED_PREFIXES.some((p) => name.startsWith(p))) return 'reserved prefix';
  if (RESERVED_SUFFIXES.some((s) => name.endsWith(s))) return 'reserved suffix';
  return undefined;
}

export function validateBucketName(name: string): void {
  if (bucketNameProblem(name) !== undefined) throw s3Error('InvalidBucketName', undefined, { BucketName: name });
}
