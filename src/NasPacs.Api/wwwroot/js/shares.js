import { api } from './api.js';
import { h, clear, fmt, pager } from './dom.js';

// The shares page: statistics, every link (state, expiry, downloads) with revoke, and a link's access log.
export function renderShares(view) {
  const stats = h('section', { class: 'panel share-stats', 'aria-label': 'Share statistics' });
  const list = h('div', {}, h('p', {}, 'Loading…'));
  const log = h('section', { class: 'panel share-log', 'aria-label': 'Access log', hidden: true });
  clear(view, h('h1', {}, 'Share links'), stats, list, log);

  async function loadStats() {
    const s = await api('/api/shares/stats');
    clear(stats, h('div', { class: 'stats' },
      [['Active', s.active], ['Expired', s.expired], ['Revoked', s.revoked], ['Used up', s.exhausted], ['Downloads', s.downloads], ['Refused requests', s.refused_accesses]]
        .map(([label, value]) => h('div', { class: 'stat' }, h('span', {}, label), h('strong', {}, fmt.n(value))))));
  }

  async function load(page) {
    try {
      const d = await api('/api/shares', { params: { page, pageSize: 50 } });
      if (d.total === 0) {
        clear(list, h('p', { role: 'status' }, 'No share links yet. Create one from a series page.'));
        return;
      }
      clear(list,
        h('table', { 'aria-label': 'Share links' },
          h('thead', {}, h('tr', {}, ['Series', 'State', 'Created', 'Expires', 'Downloads', 'Password', 'Last access', ''].map(c => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, d.items.map(s => row(s, () => { load(page); loadStats(); })))),
        pager(d.page, d.page_size, d.total, load));
    } catch (e) {
      clear(list, h('div', { class: 'alert', role: 'alert' }, h('p', {}, e.message)));
    }
  }

  function row(s, reload) {
    const revoke = h('button', { type: 'button', class: 'secondary', disabled: s.state !== 'active', onclick: async () => {
      if (!confirm('Revoke this link? Nobody will be able to use it any more.')) return;
      revoke.disabled = true;
      try { await api(`/api/shares/${s.id}`, { method: 'DELETE' }); reload(); }
      catch (e) { alert(e.message); revoke.disabled = false; }
    } }, 'Revoke');
    const showLog = h('button', { type: 'button', class: 'secondary', onclick: () => loadLog(s) }, 'Access log');
    return h('tr', { 'data-share': s.id },
      h('td', {}, s.series_label ?? h('span', { class: 'mono' }, s.series_key), s.note ? h('div', { class: 'muted' }, s.note) : null),
      h('td', {}, h('span', { class: `badge share-${s.state}`, 'data-testid': 'state' }, s.state)),
      h('td', {}, fmt.time(s.created_at), h('div', { class: 'muted' }, s.created_by)),
      h('td', {}, fmt.time(s.expires_at)),
      h('td', { class: 'num' }, s.max_downloads ? `${fmt.n(s.downloads)} / ${fmt.n(s.max_downloads)}` : fmt.n(s.downloads)),
      h('td', {}, s.has_password ? 'Yes' : 'No'),
      h('td', {}, fmt.time(s.last_accessed)),
      h('td', {}, h('div', { class: 'actions' }, showLog, revoke)));
  }

  async function loadLog(share, page = 1) {
    log.hidden = false;
    try {
      const d = await api(`/api/shares/${share.id}/access-log`, { params: { page, pageSize: 50 } });
      clear(log,
        h('h2', {}, `Access log of link ${share.id}`),
        d.total === 0 ? h('p', { role: 'status' }, 'Nobody has opened this link yet.') : [
          h('table', { 'aria-label': 'Access log' },
            h('thead', {}, h('tr', {}, ['Time', 'Action', 'Outcome', 'Address', 'Browser'].map(c => h('th', { scope: 'col' }, c)))),
            h('tbody', {}, d.items.map(r => h('tr', {},
              h('td', {}, fmt.time(r.at)), h('td', {}, r.action),
              h('td', {}, h('span', { class: `badge outcome-${r.outcome}` }, fmt.label(r.outcome))),
              h('td', { class: 'mono' }, r.ip_address ?? ''), h('td', { class: 'muted' }, r.user_agent ?? ''))))),
          pager(d.page, d.page_size, d.total, p => loadLog(share, p))]);
      log.scrollIntoView({ block: 'nearest' });
    } catch (e) {
      clear(log, h('div', { class: 'alert', role: 'alert' }, h('p', {}, e.message)));
    }
  }

  loadStats().catch(e => clear(stats, h('div', { class: 'alert', role: 'alert' }, h('p', {}, e.message))));
  load(1);
}
