import { api } from './api.js';
import { h, clear, fmt } from './dom.js';

const post = (path, params) => api(path, { method: 'POST', params });
const SYNC_TEXT = {
  absent: 'Not in Orthanc', partial: 'Partly in Orthanc', complete: 'In Orthanc', drifted: 'Changed since pushed', unknown: 'Cannot tell',
};

// Follows a push job until it ends: Server-Sent Events, falling back to polling when the stream breaks.
function follow(jobId, onStatus) {
  let stopped = false;
  let source = new EventSource(`/api/orthanc/jobs/${encodeURIComponent(jobId)}/events`);
  const poll = async () => {
    while (!stopped) {
      try {
        const s = await api(`/api/orthanc/jobs/${encodeURIComponent(jobId)}`);
        onStatus(s);
        if (!s.active) return;
      } catch { /* keep trying */ }
      await new Promise(r => setTimeout(r, 1000));
    }
  };
  source.addEventListener('job', e => {
    const s = JSON.parse(e.data);
    onStatus(s);
    if (!s.active) { source.close(); source = null; }
  });
  source.onerror = () => { if (source) { source.close(); source = null; poll(); } };
  return () => { stopped = true; source?.close(); };
}

function problemText(e) {
  const p = e.problem ?? {};
  return p.suggestion ? `${e.message} Suggestion: ${p.suggestion}` : e.message;
}

function jobLine(s) {
  const total = Math.max(s.files_total, s.instances_done);
  return `${fmt.n(s.instances_done)} / ${fmt.n(total)} instances · ${fmt.n(s.uploaded)} sent · ${fmt.n(s.already_present)} already there`
    + (s.failed ? ` · ${fmt.n(s.failed)} failed` : '') + ` · ${fmt.bytes(s.bytes_sent)}`;
}

function errorList(s) {
  const errors = [s.error, ...s.results.flatMap(r => r.errors)].filter(Boolean);
  if (!errors.length) return null;
  return h('div', { class: 'alert', role: 'alert' }, errors.slice(0, 10).map(e => h('p', {},
    e.path ? h('span', { class: 'mono' }, `${e.path}: `) : null, e.message, ' ', h('span', { class: 'muted' }, `Suggestion: ${e.suggestion}`))));
}

// The series page's Orthanc action: the sync state, a push button, live progress.
export function orthancAction(series) {
  const state = h('span', { class: 'badge', 'data-testid': 'orthanc-sync' }, 'Orthanc: checking…');
  const button = h('button', { type: 'button', 'data-testid': 'orthanc-push' }, 'Send to Orthanc');
  const progress = h('progress', { max: 1, value: 0, hidden: true, 'aria-label': 'Push progress' });
  const line = h('span', { class: 'muted', role: 'status', 'aria-live': 'polite', 'data-testid': 'orthanc-progress' });
  const problems = h('div', {});
  const box = h('div', { class: 'orthanc-action' }, button, state, h('div', { class: 'orthanc-live' }, progress, line), problems);
  const key = series.series_key;
  const root = series.root ?? undefined;

  async function refresh() {
    try {
      const s = await api('/api/orthanc/sync', { params: { key, root } });
      state.textContent = `Orthanc: ${SYNC_TEXT[s.state] ?? s.state}` + (s.state === 'partial' ? ` (${fmt.n(s.present_in_orthanc)} / ${fmt.n(s.nas_instances)})` : '');
      state.className = `badge sync-${s.state}`;
      state.title = s.reason;
    } catch (e) {
      state.textContent = e.status === 503 ? 'Orthanc: not configured' : 'Orthanc: unavailable';
      state.className = 'badge failed';
      state.title = problemText(e);
      if (e.status === 503) { button.disabled = true; button.title = problemText(e); }
    }
  }

  button.addEventListener('click', async () => {
    button.disabled = true;
    clear(problems);
    line.textContent = 'Starting…';
    try {
      const job = await post('/api/orthanc/push', { key, root });
      progress.hidden = false;
      follow(job.id, s => {
        progress.max = Math.max(1, s.files_total, s.instances_done);
        progress.value = s.instances_done;
        line.textContent = `${fmt.label(s.state)} · ${jobLine(s)}`;
        line.dataset.state = s.state;
        clear(problems, errorList(s));
        if (!s.active) { button.disabled = false; refresh(); }
      });
    } catch (e) {
      line.textContent = '';
      clear(problems, h('div', { class: 'alert', role: 'alert' }, h('p', {}, problemText(e))));
      button.disabled = false;
    }
  });

  refresh();
  return box;
}

// The search page's bulk action: push every series matching the current search, with pause and cancel.
export function orthancSearchAction(search) {
  if (!search.total) return null;
  const button = h('button', { type: 'button', class: 'secondary', 'data-testid': 'orthanc-bulk' }, `Send all ${fmt.n(search.total)} series to Orthanc`);
  const panel = h('div', {});
  const box = h('div', { class: 'panel orthanc-bulk' }, button, panel);
  button.addEventListener('click', async () => {
    if (!confirm(`Send all ${fmt.n(search.total)} matching series to Orthanc?`)) return;
    button.disabled = true;
    try {
      const job = await post('/api/orthanc/jobs', { q: search.q, modality: search.modality, from: search.from, to: search.to });
      const progress = h('progress', { max: 1, value: 0, 'aria-label': 'Bulk push progress' });
      const line = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });
      const pause = h('button', { type: 'button', class: 'secondary' }, 'Pause');
      const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
      const problems = h('div', {});
      const id = encodeURIComponent(job.id);
      pause.addEventListener('click', () => post(`/api/orthanc/jobs/${id}/${pause.textContent === 'Pause' ? 'pause' : 'resume'}`));
      cancel.addEventListener('click', () => post(`/api/orthanc/jobs/${id}/cancel`));
      clear(panel, progress, line, h('div', { class: 'actions' }, pause, cancel), problems);
      follow(job.id, s => {
        progress.max = Math.max(1, s.files_total, s.instances_done);
        progress.value = s.instances_done;
        line.textContent = `${fmt.label(s.state)} · ${fmt.n(s.series_done)} / ${fmt.n(s.series_total)} series · ${jobLine(s)}`;
        pause.textContent = s.state === 'paused' ? 'Resume' : 'Pause';
        clear(problems, errorList(s));
        if (!s.active) { pause.disabled = true; cancel.disabled = true; button.disabled = false; }
      });
    } catch (e) {
      clear(panel, h('div', { class: 'alert', role: 'alert' }, h('p', {}, problemText(e))));
      button.disabled = false;
    }
  });
  return box;
}
