/** Request headers as node:http gives them: lower-case names, an array only for a repeated set-cookie. */
export type RequestHeaders = Record<string, string | string[] | undefined>;

/** A header as one string. Node gives arrays only for set-cookie (other repeats it joins or drops); SigV4 uses `,`. */
export const headerValue = (headers: RequestHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};
