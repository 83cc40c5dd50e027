import { api } from './api.js';
import { h, clear, fmt, pager } from './dom.js';

const CLASSES = ['network', 'authentication', 'file_system', 'dicom', 'system', 'configuration'];

export function renderErrors(view, query) {
  const category = h('select', { id: 'category' }, h('option', { value: '' }, 'All classes'),
    CLASSES.map(c => h('option', { value: c, selected: c === query.get('category') }, fmt.label(c))));
  const root = query.get('root') ?? '';
  const status = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });
  const results = h('div', {});
  clear(view, h('h1', {}, 'Errors'),
    h('div', { class: 'panel row' }, h('label', { for: 'category' }, 'Class', category)),
    status, results);
  category.addEventListener('change', () => load(1));

  async function load(page) {
    try {
      const d = await api('/api/index/errors', { params: { root, category: category.value, page, pageSize: 50 } });
      status.textContent = d.total === 0 ? 'No errors recorded.' : `${fmt.n(d.total)} error reports in root ${d.root}, newest first.`;
      clear(results,
        h('table', { 'aria-label': 'Errors' },
          h('thead', {}, h('tr', {}, ['Class', 'Message', 'Suggestion', 'Path', 'When'].map(c => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, d.items.map(e => h('tr', {},
            h('td', {}, h('span', { class: 'badge failed' }, fmt.label(e.category)), h('div', { class: 'muted mono' }, e.code)),
            h('td', {}, e.message), h('td', {}, e.suggestion), h('td', { class: 'mono' }, e.path ?? ''), h('td', {}, fmt.time(e.timestamp)))))),
        pager(d.page, d.page_size, d.total, load));
    } catch (e) {
      status.textContent = e.message;
    }
  }

  load(1);
}
