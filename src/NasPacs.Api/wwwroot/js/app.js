import { renderDashboard } from './dashboard.js';
import { renderSearch } from './search.js';
import { renderSeries } from './series.js';
import { renderErrors } from './errors.js';
import { renderShares } from './shares.js';
import { renderOrthanc } from './orthanc.js';
import { renderUsers } from './users.js';
import { renderAudit } from './audit.js';
import { api, session, toSignIn } from './api.js';
import { h, clear } from './dom.js';

// Hash routes: #/ dashboard, #/search?q=…, #/series/{key}, #/errors?category=…, #/users and #/audit (admins)
const routes = [
  { pattern: /^#?\/?$/, nav: 'dashboard', render: renderDashboard, title: 'Dashboard' },
  { pattern: /^#\/search$/, nav: 'search', render: renderSearch, title: 'Search' },
  { pattern: /^#\/series\/(.+)$/, nav: 'search', render: renderSeries, title: 'Series' },
  { pattern: /^#\/errors$/, nav: 'errors', render: renderErrors, title: 'Errors' },
  { pattern: /^#\/shares$/, nav: 'shares', render: renderShares, title: 'Shares' },
  { pattern: /^#\/orthanc$/, nav: 'orthanc', render: renderOrthanc, title: 'Orthanc' },
  { pattern: /^#\/users$/, nav: 'users', render: renderUsers, title: 'Users' },
  { pattern: /^#\/audit$/, nav: 'audit', render: renderAudit, title: 'Audit' },
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

// Who is signed in: their name, the admin pages for admins, and signing out.
async function start() {
  const current = await session();
  if (!current.authenticated) { toSignIn(); return; }
  document.getElementById('who-name').textContent = `${current.user.name} (${current.user.role})`;
  for (const a of document.querySelectorAll('[data-admin]')) a.hidden = current.user.role !== 'admin';
  document.getElementById('sign-out').addEventListener('click', async () => {
    await api('/api/auth/logout', { method: 'POST' }).catch(() => {});
    location.assign('/login.html');
  });
  window.addEventListener('hashchange', route);
  route();
}

start().catch(() => clear(document.getElementById('view'), h('p', { class: 'alert', role: 'alert' }, 'The server cannot be reached.')));
