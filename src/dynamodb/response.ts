/**
 * The JSON text of an operation's answer. A Query or Scan page that returns items as they are stored hands
 * over their stored JSON (JsonItems) instead of parsed items, and GetItem its one item (JsonItem): it is
 * spliced into the answer as it is, which spares parsing and re-serialising every item (the bulk of a large
 * page's cost).
 */

/** A list of items, each already serialised as JSON (the stored text, canonical DynamoDB JSON). */
export class JsonItems {
  constructor(readonly items: readonly Buffer[]) {}
}

/** One item, already serialised as JSON (the stored text). */
export class JsonItem {
  constructor(readonly json: Buffer) {}
}

const COMMA = 0x2c;

/** The answer's bytes: JSON.stringify's text, with any top-level JsonItems or JsonItem member spliced in. */
export function renderResult(result: unknown): string | Buffer {
  if (result === undefined || result === null) return '{}';
  const members = result as Record<string, unknown>;
  let spliced = false;
  for (const name in members) if (members[name] instanceof JsonItems || members[name] instanceof JsonItem) spliced = true;
  if (!spliced) return JSON.stringify(result);

  const parts: (Buffer | JsonItems)[] = [];
  let length = 0;
  let text = '{';
  const flush = () => {
    const bytes = Buffer.from(text, 'utf8');
    parts.push(bytes);
    length += bytes.length;
    text = '';
  };
  for (const name in members) {
    const value = members[name];
    if (value === undefined) continue;
    if (text !== '{') text += ',';
    text += `${JSON.stringify(name)}:`;
    if (value instanceof JsonItems) {
      text += '[';
      flush();
      parts.push(value);
      for (const item of value.items) length += item.length;
      length += Math.max(0, value.items.length - 1);
      text = ']';
    } else if (value instanceof JsonItem) {
      flush();
      parts.push(value.json);
      length += value.json.length;
    } else text += JSON.stringify(value);
  }
  text += '}';
  flush();

  const out = Buffer.allocUnsafe(length);
  let at = 0;
  for (const part of parts) {
    if (Buffer.isBuffer(part)) {
      at += part.copy(out, at);
      continue;
    }
    part.items.forEach((item, i) => {
      if (i > 0) out[at++] = COMMA;
      at += item.copy(out, at);
    });
  }
  return out;
}
