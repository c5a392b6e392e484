/**
 * A small, strict XML reader for tests: enough of XML 1.0 to check that a
 * feed is well-formed (one root, tags nested and closed, attributes quoted,
 * only the five predefined or numeric entities, no stray < or &) and to look
 * at its elements. It throws on the first fault; it does not read DTDs.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text, entities decoded (not its children's). */
  text: string;
}

const NAME = /^[A-Za-z_:][\w.:-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: number): string {
  if (raw.includes('<')) throw new Error(`a raw < in text or an attribute near ${where}`);
  return raw.replace(/&([^;]*);?/g, (match, name: string) => {
    if (!match.endsWith(';')) throw new Error(`a bare & near ${where}`);
    if (name in ENTITIES) return ENTITIES[name] as string;
    const numeric = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(name);
    if (!numeric?.[1]) throw new Error(`unknown entity &${name}; near ${where}`);
    const code = numeric[1].startsWith('x')
      ? Number.parseInt(numeric[1].slice(1), 16)
      : Number(numeric[1]);
    return String.fromCodePoint(code);
  });
}

export function parseXml(xml: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const skipMisc = () => {
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(i));
      i += ws?.[0].length ?? 0;
      if (xml.startsWith('<?', i)) {
        const end = xml.indexOf('?>', i);
        if (end < 0) throw new Error('an unclosed processing instruction');
        i = end + 2;
      } else if (xml.startsWith('<!--', i)) {
        const end = xml.indexOf('-->', i);
        if (end < 0) throw new Error('an unclosed comment');
        i = end + 3;
      } else return;
    }
  };
  if (!xml.startsWith('<?xml ')) throw new Error('no XML declaration');
  skipMisc();
  while (i < xml.length) {
    if (!stack.length && root) {
      skipMisc();
      if (i < xml.length) throw new Error(`content after the root element at ${i}`);
      break;
    }
    const lt = xml.indexOf('<', i);
    if (lt < 0) throw new Error('the root element is not closed');
    const text = xml.slice(i, lt);
    const parent = stack[stack.length - 1];
    if (parent) parent.text += decode(text, i);
    else if (text.trim()) throw new Error(`text outside the root element at ${i}`);
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i);
      if (end < 0) throw new Error('an unclosed comment');
      i = end + 3;
    } else if (xml.startsWith('</', i)) {
      const name = NAME.exec(xml.slice(i + 2))?.[0];
      const open = stack.pop();
      if (!name || name !== open?.name) throw new Error(`</${name}> closes <${open?.name}>`);
      i += 2 + name.length;
      const close = /^\s*>/.exec(xml.slice(i));
      if (!close) throw new Error(`a malformed end tag </${name}`);
      i += close[0].length;
    } else {
      const name = NAME.exec(xml.slice(i + 1))?.[0];
      if (!name) throw new Error(`a malformed start tag at ${i}`);
      i += 1 + name.length;
      const element: XmlElement = { name, attributes: {}, children: [], text: '' };
      for (;;) {
        const attribute = /^\s+([A-Za-z_:][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(xml.slice(i));
        if (!attribute?.[1]) break;
        if (attribute[1] in element.attributes)
          throw new Error(`attribute ${attribute[1]} twice on <${name}>`);
        element.attributes[attribute[1]] = decode(attribute[3] ?? attribute[4] ?? '', i);
        i += attribute[0].length;
      }
      const end = /^\s*(\/?)>/.exec(xml.slice(i));
      if (!end) throw new Error(`a malformed start tag <${name} at ${i}`);
      i += end[0].length;
      if (parent) parent.children.push(element);
      else if (root) throw new Error('two root elements');
      else root = element;
      if (!end[1]) stack.push(element);
    }
  }
  if (!root || stack.length) throw new Error('the document ends inside an element');
  return root;
}

/** The children of `element` named `name`. */
export const childrenNamed = (element: XmlElement, name: string) =>
  element.children.filter((child) => child.name === name);

/** The text of the one child named `name`, or undefined. */
export const childText = (element: XmlElement, name: string) =>
  childrenNamed(element, name)[0]?.text;
