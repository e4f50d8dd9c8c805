import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ActivityFileError } from './activity-file';

/** Elements that repeat in TCX and GPX: always arrays, so a file with one lap reads like one with ten. */
const REPEATED = new Set(['Activity', 'Lap', 'Track', 'Trackpoint', 'trk', 'trkseg', 'trkpt']);

/**
 * fast-xml-parser with entities off. Documents with a DOCTYPE or an ENTITY declaration are refused before
 * any parsing (`refuseDeclarations`), which shuts out entity-expansion bombs and external entities (XXE):
 * activity files never need either. Namespace prefixes are dropped (`ns3:TPX` reads as `TPX`), values
 * stay strings and are checked as numbers by the format's reader.
 */
const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name) => REPEATED.has(name),
});

export type XmlNode = Record<string, unknown>;

export function refuseDeclarations(text: string): void {
  const declaration = /<!(DOCTYPE|ENTITY)\b/i.exec(text);
  if (declaration) {
    throw new ActivityFileError(
      422,
      `XML with a <!${declaration[1].toUpperCase()}> declaration is refused: activity files need none, ` +
        'and they are how entity-expansion bombs and external entities (XXE) get in',
    );
  }
}

/** Parses a well-formed document (refusing declarations); `kind` names the format in messages. */
export function parseXml(text: string, kind: string): XmlNode {
  refuseDeclarations(text);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new ActivityFileError(
      422,
      `The ${kind} file is not well-formed XML (line ${line}, column ${col}): ${plain(msg)}`,
    );
  }
  return parser.parse(text) as XmlNode;
}

/** The validator reports a document cut off as a list of unclosed tags; say it in words. */
function plain(msg: string): string {
  const unclosed = /^Invalid '\[(.*)\]' found/s.exec(msg);
  if (!unclosed) {
    return msg;
  }
  const tags = unclosed[1].split(',').map((tag) => tag.trim().replace(/^"|"$/g, ''));
  return `it ends with <${tags[tags.length - 1]}> and ${tags.length - 1} enclosing elements still open (truncated?)`;
}

/** A child element: the object, or the first of a repeated one; undefined when absent. */
export function child(node: unknown, name: string): XmlNode | undefined {
  if (typeof node !== 'object' || node === null) {
    return undefined;
  }
  const value = (node as XmlNode)[name];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'object' && first !== null ? (first as XmlNode) : undefined;
}

/** A repeated child element as a list (empty when absent). */
export function children(node: unknown, name: string): XmlNode[] {
  if (typeof node !== 'object' || node === null) {
    return [];
  }
  const value = (node as XmlNode)[name];
  const list: unknown[] = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((item): item is XmlNode => typeof item === 'object' && item !== null);
}

/** The text of a child element or attribute (`@_name`); undefined when absent. */
export function text(node: unknown, name: string): string | undefined {
  if (typeof node !== 'object' || node === null) {
    return undefined;
  }
  let value = (node as XmlNode)[name];
  if (Array.isArray(value)) {
    value = value[0];
  }
  if (typeof value === 'object' && value !== null) {
    value = (value as XmlNode)['#text'];
  }
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** A number from a child element's text; undefined when absent, a 422 naming the sample when not a number. */
export function number(node: unknown, name: string, where: () => string): number | undefined {
  const raw = text(node, name);
  if (raw === undefined) {
    return undefined;
  }
  const value = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(value)) {
    throw new ActivityFileError(422, `${where()}: ${name} "${raw.slice(0, 40)}" is not a number`);
  }
  return value;
}

/** Milliseconds since the epoch from an ISO 8601 time; a 422 naming the sample when it is not one. */
export function time(raw: string, where: () => string): number {
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(raw.trim()) ? Date.parse(raw.trim()) : NaN;
  if (!Number.isFinite(ms)) {
    throw new ActivityFileError(422, `${where()}: time "${raw.slice(0, 40)}" is not an ISO 8601 date`);
  }
  return ms;
}
