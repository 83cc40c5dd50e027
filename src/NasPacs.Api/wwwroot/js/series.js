import { api, seriesPath } from './api.js';
import { h, clear, fmt, pager } from './dom.js';
import { shareAction } from './share-action.js';
import { orthancAction } from './orthanc-action.js';

const FIELDS = [
  ['Patient', s => fmt.name(s.patient_name)], ['Patient ID', s => s.patient_id], ['Birth date', s => fmt.date(s.patient_birth_date)],
  ['Sex', s => s.patient_sex], ['Study date', s => fmt.date(s.study_date)], ['Study', s => s.study_description],
  ['Accession number', s => s.accession_number], ['Series', s => s.series_description], ['Series number', s => s.series_number],
  ['Modality', s => s.modality], ['Body part', s => s.body_part_examined], ['Institution', s => s.institution_name],
  ['Files', s => fmt.n(s.file_count)], ['Size', s => fmt.bytes(s.total_bytes)], ['NAS root', s => s.root],
  ['Study Instance UID', s => h('span', { class: 'mono' }, s.study_instance_uid ?? '')],
  ['Series key', s => h('span', { class: 'mono' }, s.series_key)],
];

export function renderSeries(view, query, key) {
  const root = query.get('root') || undefined;
  const body = h('div', {}, h('p', {}, 'Loading…'));
  clear(view, h('p', {}, h('a', { href: '#/search' }, '← Back to search')), body);

  async function load(page) {
    try {
      const d = await api(seriesPath(key), { params: { root, page, pageSize: 50 } });
      const s = { ...d.series, root: d.root };
      clear(body,
        h('h1', {}, `${fmt.name(s.patient_name) || 'Unknown patient'} · ${s.modality ?? ''} ${s.series_description ?? ''}`),
        h('section', { class: 'panel', 'aria-label': 'Series details' },
          h('dl', { class: 'details' }, FIELDS.map(([label, get]) => [h('dt', {}, label), h('dd', {}, get(s) ?? '')]))),
        h('section', { class: 'panel', 'aria-label': 'Actions' },
          h('div', { class: 'actions' }, shareAction(s), orthancAction(s))),
        h('h2', {}, `Files (${fmt.n(d.files.total)})`),
        h('table', { 'aria-label': 'Files' },
          h('thead', {}, h('tr', {}, ['Instance', 'Path', 'Size', 'Modified', 'Transfer syntax'].map(c => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, d.files.items.map(f => h('tr', {},
            h('td', { class: 'num' }, f.instance_number ?? ''), h('td', { class: 'mono' }, f.relative_path),
            h('td', { class: 'num' }, fmt.bytes(f.size)), h('td', {}, fmt.time(f.last_write_time_utc)),
            h('td', { class: 'mono' }, f.transfer_syntax_uid ?? ''))))),
        pager(d.files.page, d.files.page_size, d.files.total, load));
    } catch (e) {
      clear(body, h('h1', {}, e.status === 404 ? 'Series not found' : 'Cannot show the series'), h('div', { class: 'alert', role: 'alert' }, h('p', {}, e.message)));
    }
  }

  load(1);
}
