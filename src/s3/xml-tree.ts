/**
 * What S3 operations answer with: a tree the HTTP layer writes as XML. An object becomes child elements in
 * key order, an array repeats its element, `undefined` is left out.
 */
export type XmlValue = string | number | boolean | Date | undefined | XmlObject | XmlValue[];
export interface XmlObject {
  [name: string]: XmlValue;
}

export interface XmlDocument {
  root: string;
  body: XmlObject;
}

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
