// Small DOM helpers. Data only ever reaches the page through textContent / properties, never
// through innerHTML, so worker names, log lines and API messages cannot inject markup.

/** @param {string} selector */
export const $ = (selector) => {
  const found = document.querySelector(selector);
  if (!found) throw new Error(`dashboard markup is missing ${selector}`);
  return found;
};

/**
 * Creates an element: `props` are assigned as properties (textContent, className, type, …),
 * except `dataset` (merged) and `on*` functions (event listeners).
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined) continue;
    if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else node[name] = value;
  }
  node.append(...children.filter((c) => c !== undefined && c !== null));
  return node;
}

/** A table cell holding `text` as text (null/undefined → empty). */
export function cell(text, className) {
  return el('td', { textContent: text ?? '', className });
}

/** A type=button button. */
export function button(label, onclick, props = {}) {
  return el('button', { type: 'button', textContent: label, onclick, ...props });
}

/** Local date and time of an ISO timestamp from the API. */
export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

// A worker schedule as text: "every 5s" or "cron 0 * * * *".
export function scheduleText(schedule) {
  if (schedule && typeof schedule === 'object') {
    if (typeof schedule.every === 'string') return `every ${schedule.every}`;
    if (typeof schedule.cron === 'string') return `cron ${schedule.cron}`;
  }
  return JSON.stringify(schedule ?? null);
}
