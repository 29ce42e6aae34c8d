import type { IncomingMessage } from 'node:http';

/**
 * Node joins the values of a repeated request header with ", ", where AWS joins them with ",": SigV4 signs
 * a repeated header as its values joined so, and S3 reads repeated `x-amz-meta-*` headers so. Rewrites
 * each such header of `req` in place. Headers Node keeps one value of (content-type, host...) stay as
 * Node left them.
 */
export function joinRepeatedHeaders(req: IncomingMessage): void {
  // No name repeated: nothing to do, and no per-header work on the common path.
  if (req.rawHeaders.length === 2 * Object.keys(req.headers).length) return;
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (values !== undefined && values.length > 1 && req.headers[name] === values.join(', ')) req.headers[name] = values.join(',');
  }
}
