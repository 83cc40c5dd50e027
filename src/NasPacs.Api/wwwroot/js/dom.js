// Builds DOM nodes without innerHTML, so values from DICOM headers are always text, never markup.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter(c => c !== null && c !== undefined && c !== false));
  return el;
}

const number = new Intl.NumberFormat('en-US');
export const fmt = {
  n: v => (v === null || v === undefined ? '–' : number.format(v)),
  rate: v => (v ? `${number.format(Math.round(v))}/s` : '–'),
  // DICOM dates are YYYYMMDD.
  date: v => (v && /^\d{8}$/.test(v) ? `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}` : (v ?? '')),
  // DICOM person names separate components with ^.
  name: v => (v ?? '').split('^').filter(Boolean).join(', '),
  time: v => (v ? new Date(v).toLocaleString() : '–'),
  eta: v => {
    if (!v) return '–';
    const seconds = Math.max(0, Math.round((new Date(v) - Date.now()) / 1000));
    if (seconds < 60) return `${seconds} s`;
    if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
    return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  },
  bytes: v => {
    if (!v) return '0 B';
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let i = 0; let x = v;
    while (x >= 1000 && i < units.length - 1) { x /= 1000; i++; }
    return `${x.toFixed(i ? 1 : 0)} ${units[i]}`;
  },
  label: v => (v ?? '').replaceAll('_', ' '),
};

export function pager(page, pageSize, total, go) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return h('nav', { class: 'pager', 'aria-label': 'Pages' },
    h('button', { class: 'secondary', type: 'button', disabled: page <= 1, onclick: () => go(page - 1) }, 'Previous'),
    h('span', { 'aria-live': 'polite' }, `Page ${fmt.n(page)} of ${fmt.n(pages)} · ${fmt.n(total)} in all`),
    h('button', { class: 'secondary', type: 'button', disabled: page >= pages, onclick: () => go(page + 1) }, 'Next'));
}
