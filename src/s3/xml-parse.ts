/**
 * A small XML reader for S3 request bodies (Delete, Tagging, AccessControlPolicy, CreateBucketConfiguration):
 * elements, text, attributes, entities and CDATA; no DTDs. Malformed input throws MalformedXML, as S3 does.
 */
import { s3Error } from '../errors/s3-errors';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (all, ent: string) => {
    if (ent.startsWith('#x')) return String.fromCodePoint(parseInt(ent.slice(2), 16));
    if (ent.startsWith('#')) return String.fromCodePoint(parseInt(ent.slice(1), 10));
    const value = ENTITIES[ent];
    if (value === undefined) throw s3Error('MalformedXML');
    return value ?? all;
  });
}

/** Local name without namespace prefix. */
const local = (name: string): string => name.slice(name.indexOf(':') + 1);

export function parseXml(source: string): XmlElement {
  let i = 0;
  const fail = (): never => {
    throw s3Error('MalformedXML');
  };
  const skipMisc = (): void => {
    for (;;) {
      while (i < source.length && /\s/.test(source[i]!)) i++;
      if (source.startsWith('<?', i)) {
        const end = source.indexOf('?>', i);
        if (end < 0) fail();
        i = end + 2;
      } else if (source.startsWith('<!--', i)) {
        const end = source.indexOf('-->', i);
        if (end < 0) fail();
        i = end + 3;
      } else return;
    }
  };
  const parseElement = (): XmlElement => {
    if (source[i] !== '<') fail();
    const m = /^<([A-Za-z_][\w.:-]*)/.exec(source.slice(i, i + 300));
    if (!m) fail();
    const name = m![1]!;
    i += m![0].length;
    const attributes: Record<string, string> = {};
    for (;;) {
      while (/\s/.test(source[i] ?? '')) i++;
      if (source.startsWith('/>', i)) {
        i += 2;
        return { name: local(name), attributes, children: [], text: '' };
      }
      if (source[i] === '>') {
        i++;
        break;
      }
      const a = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(source.slice(i, i + 2000));
      if (!a) fail();
      attributes[local(a![1]!)] = decodeEntities(a![3] ?? a![4] ?? '');
      i += a![0].length;
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      if (i >= source.length) fail();
      if (source.startsWith('</', i)) {
        const end = source.indexOf('>', i);
        if (end < 0 || source.slice(i + 2, end).trim() !== name) fail();
        i = end + 1;
        return { name: local(name), attributes, children, text };
      }
      if (source.startsWith('<![CDATA[', i)) {
        const end = source.indexOf(']]>', i);
        if (end < 0) fail();
        text += source.slice(i + 9, end);
        i = end + 3;
      } else if (source.startsWith('<!--', i)) {
        const end = source.indexOf('-->', i);
        if (end < 0) fail();
        i = end + 3;
      } else if (source[i] === '<') {
        children.push(parseElement());
      } else {
        const next = source.indexOf('<', i);
        if (next < 0) fail();
        text += decodeEntities(source.slice(i, next));
        i = next;
      }
    }
  };
  skipMisc();
  const root = parseElement();
  skipMisc();
  if (i !== source.length) fail();
  return root;
}

export const child = (el: XmlElement, name: string): XmlElement | undefined => el.children.find((c) => c.name === name);
export const childrenNamed = (el: XmlElement, name: string): XmlElement[] => el.children.filter((c) => c.name === name);
export const childText = (el: XmlElement, name: string): string | undefined => child(el, name)?.text;
