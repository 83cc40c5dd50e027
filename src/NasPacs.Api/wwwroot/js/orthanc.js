import { api, seriesHash } from './api.js';
import { h, clear, fmt } from './dom.js';

// The Orthanc page: the connection state (version, authentication, metadata configuration) and recent pushes.
export function renderOrthanc(view) {
  const connection = h('section', { class: 'panel', 'aria-label': 'Connection' }, h('p', {}, 'Checking Orthanc…'));
  const jobs = h('section', { 'aria-label': 'Push jobs' });
  const pushes = h('section', { 'aria-label': 'Recent pushes' });
  const recheck = h('button', { type: 'button', class: 'secondary', onclick: () => load() }, 'Check again');
  clear(view, h('h1', {}, 'Orthanc'), connection, h('div', { class: 'actions' }, recheck), jobs, pushes);
  let timer = 0;

  async function load() {
    try {
      const s = await api('/api/orthanc/status');
      const ok = s.reachable && s.authenticated;
      clear(connection,
        h('h2', {}, 'Connection'),
        h('dl', { class: 'details' },
          h('dt', {}, 'Address'), h('dd', { class: 'mono' }, s.url ?? 'not configured'),
          h('dt', {}, 'State'), h('dd', {}, h('span', { class: `badge ${ok ? 'completed' : 'failed'}`, 'data-testid': 'orthanc-state' },
            !s.configured ? 'not configured' : !s.reachable ? 'unreachable' : !s.authenticated ? 'credentials rejected' : 'connected')),
          h('dt', {}, 'Version'), h('dd', { 'data-testid': 'orthanc-version' }, s.server?.version ?? '–'),
          h('dt', {}, 'Server name'), h('dd', {}, s.server?.name ?? '–'),
          h('dt', {}, 'Authentication'), h('dd', {}, s.username ? `as ${s.username}` : 'none configured'),
          h('dt', {}, 'Labels'), h('dd', {}, s.server ? (s.server.supports_labels ? 'supported (≥ 1.12)' : 'not supported by this version') : '–'),
          h('dt', {}, 'Push strategy'), h('dd', {}, s.strategy),
          h('dt', {}, 'Provenance metadata'), h('dd', {}, h('ul', { class: 'metadata-names' }, s.metadata.map(m =>
            h('li', { class: `md-${m.state}` }, h('span', { class: 'mono' }, m.name), ` ${fmt.label(m.state)}`))))),
        s.problem ? h('div', { class: 'alert', role: 'alert' }, h('p', {}, s.problem.message), h('p', {}, `Suggestion: ${s.problem.suggestion}`)) : null);
    } catch (e) {
      clear(connection, h('div', { class: 'alert', role: 'alert' }, h('p', {}, e.message)));
    }

    try {
      const [jobList, recent] = await Promise.all([api('/api/orthanc/jobs'), api('/api/orthanc/pushes')]);
      clear(jobs, jobList.length ? [h('h2', {}, 'Push jobs'), h('table', { 'aria-label': 'Push jobs' },
        h('thead', {}, h('tr', {}, ['Job', 'State', 'Series', 'Sent', 'Already there', 'Failed', 'Started'].map(c => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, jobList.map(j => h('tr', {},
          h('td', {}, j.description), h('td', {}, h('span', { class: `badge ${j.state}` }, fmt.label(j.state))),
          h('td', { class: 'num' }, `${fmt.n(j.series_done)} / ${fmt.n(j.series_total)}`), h('td', { class: 'num' }, fmt.n(j.uploaded)),
          h('td', { class: 'num' }, fmt.n(j.already_present)), h('td', { class: 'num' }, fmt.n(j.failed)), h('td', {}, fmt.time(j.started_at))))))] : []);
      clear(pushes, h('h2', {}, 'Recent pushes'), recent.length === 0 ? h('p', { class: 'muted' }, 'No series pushed since the server started.') :
        h('table', { 'aria-label': 'Recent pushes' },
          h('thead', {}, h('tr', {}, ['Series', 'Root', 'Outcome', 'Instances', 'Sent', 'Already there', 'Failed', 'When', 'Problem'].map(c => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, recent.map(p => h('tr', {},
            h('td', { class: 'mono' }, h('a', { href: seriesHash(p.series_key, p.source_name) }, p.series_key)), h('td', {}, p.source_name),
            h('td', {}, h('span', { class: `badge ${p.outcome}` }, fmt.label(p.outcome))),
            h('td', { class: 'num' }, `${fmt.n(p.orthanc_instances)} / ${fmt.n(p.nas_instances)}`), h('td', { class: 'num' }, fmt.n(p.uploaded)),
            h('td', { class: 'num' }, fmt.n(p.already_present)), h('td', { class: 'num' }, fmt.n(p.failed)), h('td', {}, fmt.time(p.ended_at)),
            h('td', {}, p.errors.length ? `${p.errors[0].message} (${p.errors.length})` : ''))))));
      if (jobList.some(j => j.active)) { clearTimeout(timer); timer = setTimeout(load, 2000); }
    } catch (e) {
      clear(pushes, h('p', {}, e.message));
    }
  }

  load();
  return () => clearTimeout(timer);
}
