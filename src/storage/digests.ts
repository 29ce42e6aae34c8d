/**
 * The digests a blob store takes of the bytes it writes (BlobStore.write), by name: the hashes S3 needs
 * (MD5 for ETags, SHA-256 for signed payloads) and the CRCs of its flexible checksums.
 */
import { createHash } from 'node:crypto';
import { Crc32, Crc32c, Crc64Nvme } from '../util/crc';

export type DigestAlgorithm = 'md5' | 'sha1' | 'sha256' | 'crc32' | 'crc32c' | 'crc64nvme';

export interface Digest {
  update(chunk: Uint8Array): unknown;
  /** The digest's bytes (big-endian for the CRCs). Call once. */
  digest(): Buffer;
}

export function createDigest(algorithm: DigestAlgorithm): Digest {
  switch (algorithm) {
    case 'crc32':
      return new Crc32();
    case 'crc32c':
      return new Crc32c();
    case 'crc64nvme':
      return new Crc64Nvme();
    default:
      return createHash(algorithm);
  }
}

/** The digests of bytes held in memory. */
export function digestsOf(bytes: Buffer, algorithms: readonly DigestAlgorithm[]): Map<DigestAlgorithm, Buffer> {
  return new Map(
    algorithms.map((algorithm) => {
      const digest = createDigest(algorithm);
      digest.update(bytes);
      return [algorithm, digest.digest()];
    }),
  );
}
