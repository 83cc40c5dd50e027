import { renderDashboard } from './dashboard.js';
import { renderSearch } from './search.js';
import { renderSeries } from './series.js';
import { renderErrors } from './errors.js';
import { renderShares } from './shares.js';
import { renderOrthanc } from './orthanc.js';
import { h, clear } from './dom.js';

// Hash routes: #/ dashboard, #/search?q=…, #/series/{key}, #/errors?category=…
const routes = [
  { pattern: /^#?\/?$/, nav: 'dashboard', render: renderDashboard, title: 'Dashboard' },
  { pattern: /^#\/search$/, nav: 'search', render: renderSearch, title: 'Search' },
  { pattern: /^#\/series\/(.+)$/, nav: 'search', render: renderSeries, title: 'Series' },
  { pattern: /^#\/errors$/, nav: 'errors', render: renderErrors, title: 'Errors' },
  { pattern: /^#\/shares$/, nav: 'shares', render: renderShares, title: 'Shares' },
  { pattern: /^#\/orthanc$/, nav: 'orthanc', render: renderOrthanc, title: 'Orthanc' },
];

let leave = null;

function route() {
  const [path, query = ''] = location.hash.split('?');
  const view = document.getElementById('view');
  if (leave) { leave(); leave = null; }
  const match = routes.map(r => ({ r, m: path.match(r.pattern) })).find(x => x.m);
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (match && a.dataset.nav === match.r.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (!match) {
    clear(view, h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/' }, 'Back to the dashboard')));
    return;
  }
  document.title = `${match.r.title} · NasPacs`;
  const args = match.m.slice(1).map(decodeURIComponent);
  leave = match.r.render(view, new URLSearchParams(query), ...args) ?? null;
}

window.addEventListener('hashchange', route);
route();
