// Builds the page from engine data without ever parsing that data as HTML or script.
// Every value becomes a text node; attributes are limited to a fixed list that can carry
// neither script (no on* handlers) nor a URL (no href, src, style). Charts are drawn by
// charts.js on canvases.

const HTML_ATTRIBUTES = /^(class|id|title|type|role|colspan|for|name|value|placeholder|autocomplete|maxlength|disabled|hidden|aria-[a-z]+|data-[a-z-]+)$/;

/** An HTML element with safe attributes; children are nodes or values shown as text. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  setAttributes(node, attributes, HTML_ATTRIBUTES);
  append(node, children);
  return node;
}

/** Sets safe attributes on an element of the page's own markup. */
export function setAttributesOf(node, attributes) {
  setAttributes(node, attributes, HTML_ATTRIBUTES);
  return node;
}

function setAttributes(node, attributes, allowed) {
  for (const [name, value] of Object.entries(attributes)) {
    if (!allowed.test(name)) {
      throw new Error('attribute not allowed on the dashboard: ' + name);
    }
    if (value === false || value === null || value === undefined) {
      continue;
    }
    node.setAttribute(name, value === true ? '' : String(value));
  }
}

/** Appends nodes as they are and anything else as a text node. */
export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replaces the children of {@code node}. */
export function replace(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

/** The element with that id (the page's own markup, never data). */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) {
    throw new Error('the page has no element #' + id);
  }
  return node;
}

/** A table: {@code columns} are [heading, function(row) → node or value]. */
export function table(columns, rows, rowClass) {
  const head = el('tr', {}, columns.map(([heading]) => el('th', {}, heading)));
  const body = rows.map((row) =>
    el('tr', { class: rowClass ? rowClass(row) : null }, columns.map(([, cell]) => el('td', {}, cell(row)))));
  return el('table', {}, el('thead', {}, head), el('tbody', {}, body));
}

/** A definition list of [label, value] pairs; a value may be a node. */
export function facts(node, pairs) {
  replace(node, pairs.map(([label, value]) => [el('dt', {}, label), el('dd', {}, value)]));
}

/** A short text that says a panel's data could not be read, and why. */
export function unavailable(reason) {
  return el('p', { class: 'unavailable' }, 'unavailable: ' + reason);
}
