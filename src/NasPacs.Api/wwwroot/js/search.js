import { api, seriesHash } from './api.js';
import { h, clear, fmt, pager } from './dom.js';
import { orthancSearchAction } from './orthanc-action.js';

const MODALITIES = ['CT', 'MR', 'CR', 'DX', 'US', 'MG', 'NM', 'PT', 'XA', 'RF', 'OT', 'SR'];
const COLUMNS = [
  { key: 'patient_name', label: 'Patient', sort: 'patient_name', cell: r => fmt.name(r.patient_name) },
  { key: 'patient_id', label: 'Patient ID', cell: r => r.patient_id ?? '' },
  { key: 'study_date', label: 'Study date', sort: 'study_date', cell: r => fmt.date(r.study_date) },
  { key: 'modality', label: 'Modality', sort: 'modality', cell: r => r.modality ?? '' },
  { key: 'study_description', label: 'Study', cell: r => r.study_description ?? '' },
  { key: 'series_description', label: 'Series', cell: r => h('a', { href: seriesHash(r.series_key, r.root) }, r.series_description || `Series ${r.series_number ?? ''}`.trim() || r.series_key) },
  { key: 'file_count', label: 'Files', sort: 'file_count', num: true, cell: r => fmt.n(r.file_count) },
];

export function renderSearch(view, query) {
  const state = {
    q: query.get('q') ?? '', modality: query.get('modality') ?? '', from: query.get('from') ?? '', to: query.get('to') ?? '',
    sort: query.get('sort') ?? '-study_date', page: Number(query.get('page') ?? 1) || 1,
  };
  const input = h('input', { type: 'search', id: 'q', value: state.q, placeholder: 'Patient name or ID, accession, description', autocomplete: 'off' });
  const modality = h('select', { id: 'modality' }, h('option', { value: '' }, 'All'), MODALITIES.map(m => h('option', { value: m, selected: m === state.modality }, m)));
  const from = h('input', { type: 'date', id: 'from', value: state.from });
  const to = h('input', { type: 'date', id: 'to', value: state.to });
  const status = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });
  const results = h('div', {});
  clear(view,
    h('h1', {}, 'Search'),
    h('form', { class: 'panel row', role: 'search', onsubmit: e => { e.preventDefault(); run(1); } },
      h('label', { for: 'q' }, 'Search', input),
      h('label', { for: 'modality' }, 'Modality', modality),
      h('label', { for: 'from' }, 'Study date from', from),
      h('label', { for: 'to' }, 'to', to)),
    status, results);

  let timer = 0;
  let ticket = 0;
  const soon = () => { clearTimeout(timer); timer = setTimeout(() => run(1), 200); };
  input.addEventListener('input', soon);
  for (const el of [modality, from, to]) el.addEventListener('change', () => run(1));

  async function run(page) {
    Object.assign(state, { q: input.value.trim(), modality: modality.value, from: from.value, to: to.value, page });
    const params = { q: state.q, modality: state.modality, from: state.from, to: state.to, sort: state.sort, page: state.page, pageSize: 25 };
    history.replaceState(null, '', '#/search?' + new URLSearchParams(Object.entries(params).filter(([k, v]) => v && k !== 'pageSize')));
    const mine = ++ticket;
    try {
      const result = await api('/api/search', { params });
      if (mine !== ticket) return;
      // Counts stop at 1,000 (total_capped): "1,000+ series".
      status.textContent = result.total === 0 ? 'No series match.' : `${fmt.n(result.total)}${result.total_capped ? '+' : ''} series`;
      clear(results, orthancSearchAction({ q: state.q, modality: state.modality, from: state.from, to: state.to, total: result.total }), table(result), pager(result.page, result.page_size, result.total, run));
    } catch (e) {
      if (mine === ticket) status.textContent = e.message;
    }
  }

  function table(result) {
    const sortBy = name => { state.sort = state.sort === `-${name}` ? name : `-${name}`; run(1); };
    const head = COLUMNS.map(c => {
      const active = state.sort.replace('-', '') === c.sort;
      const ariaSort = !c.sort ? null : active ? (state.sort.startsWith('-') ? 'descending' : 'ascending') : 'none';
      return h('th', { scope: 'col', class: c.num ? 'num' : '', 'aria-sort': ariaSort },
        c.sort ? h('button', { type: 'button', onclick: () => sortBy(c.sort) }, c.label) : c.label);
    });
    return h('table', { 'aria-label': 'Series' },
      h('thead', {}, h('tr', {}, head)),
      h('tbody', {}, result.items.map(r => h('tr', { 'data-series': r.series_key }, COLUMNS.map(c => h('td', { class: c.num ? 'num' : '' }, c.cell(r)))))));
  }

  run(state.page);
  return () => clearTimeout(timer);
}
