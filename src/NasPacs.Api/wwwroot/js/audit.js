import { api } from './api.js';
import { h, clear, fmt, pager } from './dom.js';

// Admins: the audit log, newest first, filtered by action.
export function renderAudit(view, query) {
  const action = h('input', { id: 'audit-action', type: 'search', value: query.get('action') ?? '', placeholder: 'sign-in, /api/index, /api/shares …' });
  const status = h('p', { role: 'status', class: 'muted' });
  const results = h('div');
  let timer = null;

  async function load(page = 1) {
    try {
      const d = await api('/api/audit', { params: { action: action.value.trim(), page, pageSize: 50 } });
      status.textContent = d.total === 0 ? 'Nothing recorded.' : '';
      clear(results,
        h('table', { 'aria-label': 'Audit' },
          h('thead', {}, h('tr', {}, ['When', 'Who', 'Action', 'Target', 'Status', 'Address'].map(t => h('th', {}, t)))),
          h('tbody', {}, d.items.map(r => h('tr', {},
            h('td', {}, fmt.time(r.at)), h('td', {}, r.actor ?? '–'), h('td', { class: 'mono' }, r.action),
            h('td', { class: 'mono' }, r.target ?? ''), h('td', { class: 'num' }, r.status ?? ''), h('td', { class: 'mono' }, r.address ?? ''))))),
        pager(d.page, d.page_size, d.total, load));
    } catch (e) {
      status.textContent = e.message;
    }
  }

  action.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => load(1), 250); });
  clear(view, h('h1', {}, 'Audit'), h('div', { class: 'row' }, h('label', { for: 'audit-action' }, 'Action', action)), status, results);
  load();
  return () => clearTimeout(timer);
}
