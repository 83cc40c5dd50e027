import { api, session } from './api.js';
import { h, clear, fmt } from './dom.js';

const ACTIVE = ['enumerating', 'indexing', 'paused', 'cancelling'];

// One card per root, built once and updated in place, so keyboard focus stays on the button that was pressed.
function createCard(root, onAction) {
  const refs = {};
  const button = (action, label) =>
    (refs[action] = h('button', { type: 'button', class: action === 'start' ? '' : 'secondary', onclick: () => onAction(root.name, action) }, label));
  refs.card = h('section', { class: 'panel root', 'data-root': root.name, 'aria-labelledby': `root-${root.name}` },
    h('h2', { id: `root-${root.name}` }, `Root ${root.name} `, refs.phase = h('span', { class: 'badge', 'data-testid': 'phase' })),
    // The server sends a root's location to admins only; other roles see its name and kind.
    h('p', { class: 'muted mono', 'data-testid': 'location' }, root.location ?? `${root.kind} root`, root.location ? ` (${root.kind})` : ''),
    refs.progress = h('progress', { max: 1, value: 0, 'aria-label': `Progress of ${root.name}` }),
    refs.stats = h('div', { class: 'stats' }),
    refs.byClass = h('ul', { class: 'errors-by-class', 'aria-label': 'Errors by class' }),
    refs.problem = h('div', { class: 'alert', role: 'alert', hidden: true }),
    refs.actions = h('div', { class: 'actions' },
      button('start', 'Start indexing'), button('pause', 'Pause'), button('resume', 'Resume'), button('cancel', 'Cancel'),
      button('test', 'Test connection')),
    refs.watchOnly = h('p', { class: 'muted', hidden: true }, 'Your role (viewer) can watch indexing; an operator starts, pauses and cancels it.'),
    refs.message = h('p', { class: 'muted', 'aria-live': 'polite' }),
    refs.test = h('div', { class: 'test' }));
  // Viewers may watch but not control a run (the server refuses them with 403): do not offer what they cannot do.
  session().then(current => {
    const viewer = current?.user?.role === 'viewer';
    refs.actions.hidden = viewer;
    refs.watchOnly.hidden = !viewer;
  }).catch(() => {});
  return refs;
}

function stat(label, value, testid) {
  return h('div', { class: 'stat' }, h('b', { 'data-testid': testid }, value), h('span', {}, label));
}

function update(refs, root) {
  const s = root.status;
  const phase = s?.phase ?? 'idle';
  refs.phase.textContent = phase;
  refs.phase.className = `badge ${phase}`;
  const total = s?.enumerated_files ?? 0;
  refs.progress.max = Math.max(1, total);
  refs.progress.value = s?.files_processed ?? 0;
  if (phase === 'completed') refs.progress.value = refs.progress.max;
  clear(refs.stats,
    stat('Files processed', `${fmt.n(s?.files_processed ?? 0)} / ${fmt.n(total)}`, 'processed'),
    stat('Files per second', fmt.rate(s?.files_per_second), 'rate'),
    stat('Time left', s?.running ? fmt.eta(s?.estimated_completion) : '–', 'eta'),
    stat('Series found', fmt.n(s?.series_count ?? root.totals?.series ?? 0), 'series'),
    stat('Errors', fmt.n(s?.errors ?? 0), 'errors'),
    stat('Indexed files', fmt.n(root.totals?.files ?? 0), 'files'),
    stat('Last update', fmt.time(s?.last_updated), 'updated'));
  const byClass = Object.entries(s?.errors_by_category ?? {}).filter(([, n]) => n > 0);
  clear(refs.byClass, byClass.map(([c, n]) => h('li', {}, h('a', { href: `#/errors?root=${encodeURIComponent(root.name)}&category=${c}` }, `${fmt.label(c)}: ${fmt.n(n)}`))));
  const problem = root.problem;
  refs.problem.hidden = !problem;
  if (problem) {
    clear(refs.problem,
      h('p', {}, h('strong', {}, 'Cannot index this root: '), problem.message),
      h('p', {}, h('strong', {}, 'Suggestion: '), problem.suggestion),
      h('p', { class: 'muted' }, `${fmt.label(problem.category)} · ${problem.code}`));
  }
  const active = root.active || ACTIVE.includes(phase);
  refs.start.disabled = active;
  refs.pause.disabled = !active || phase === 'paused' || phase === 'cancelling';
  refs.resume.disabled = phase !== 'paused';
  refs.cancel.disabled = !active || phase === 'cancelling';
}

function showTest(refs, report) {
  clear(refs.test, h('div', { class: report.reachable && report.readable ? 'panel' : 'alert', role: 'status' },
    h('p', {}, h('strong', {}, report.reachable ? (report.readable ? 'Reachable and readable. ' : 'Reachable, not readable. ') : 'Not reachable. '), report.message),
    report.listing ? h('p', { class: 'muted' },
      `Listing ${fmt.rate(report.listing.per_second)} · header reads ${fmt.rate(report.reading?.per_second)} · latency ${report.latency_ms ?? '–'} ms`) : null,
    h('ul', { class: 'suggestions' }, report.suggestions.map(s => h('li', {}, s)))));
}

export function renderDashboard(view) {
  const cards = new Map();
  const list = h('div', {});
  const live = h('p', { class: 'muted', 'data-testid': 'live' }, 'Connecting…');
  const schedule = h('p', { class: 'muted', 'data-testid': 'schedule', hidden: true });
  clear(view, h('h1', {}, 'Indexing'), live, schedule, list);

  const apply = response => {
    // NasPacs:ReindexAt: every root is re-indexed at times of day; shown so an administrator sees the schedule is on.
    schedule.hidden = !response.next_reindex;
    schedule.textContent = response.next_reindex ? `Next scheduled re-index of every root: ${fmt.time(response.next_reindex)}.` : '';
    for (const root of response.roots) {
      if (!cards.has(root.name)) {
        const refs = createCard(root, act);
        cards.set(root.name, refs);
        list.append(refs.card);
      }
      update(cards.get(root.name), root);
    }
  };

  async function act(name, action) {
    const refs = cards.get(name);
    refs.message.textContent = '';
    try {
      if (action === 'test') {
        refs.message.textContent = 'Testing the connection…';
        showTest(refs, await api('/api/nas/test', { params: { root: name } }));
        refs.message.textContent = '';
        return;
      }
      await api(`/api/index/${action}`, { method: 'POST', params: { root: name } });
      apply(await api('/api/index/status', { params: { root: name } }));
    } catch (e) {
      refs.message.textContent = e.message + (e.problem?.suggestion ? ` ${e.problem.suggestion}` : '');
      apply(await api('/api/index/status', { params: { root: name } }).catch(() => ({ roots: [] })));
    }
  }

  api('/api/index/status').then(apply).catch(e => { live.textContent = e.message; });
  const events = new EventSource('/api/index/events');
  events.addEventListener('status', e => {
    live.textContent = 'Live: updates arrive as the index changes.';
    apply(JSON.parse(e.data));
  });
  events.onerror = () => { live.textContent = 'Live updates interrupted; reconnecting…'; };
  return () => events.close();
}
