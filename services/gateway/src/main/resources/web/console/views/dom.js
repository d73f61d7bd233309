// Small DOM helpers shared by the views. Text always goes in as text nodes, never as HTML: event data is untrusted.

/** element('a', {href: '/x', class: 'y'}, 'text', child, …) */
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children.filter((c) => c !== undefined && c !== null));
  return node;
}

/**
 * The domain data of an event's JSON: a stream with `payload: envelope` sends the whole CloudEvent, with the data
 * under `data`; other streams send the data itself. Null when the text is not JSON.
 */
export function eventData(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return value && typeof value === 'object' && 'specversion' in value && 'data' in value ? value.data : value;
}
