import { api } from './api.js';
import { h, clear, fmt } from './dom.js';

const roles = ['viewer', 'operator', 'admin'];

// Admins: create users, set a role, disable or enable, reset a password; and one's own API tokens.
export function renderUsers(view) {
  const status = h('p', { role: 'status', class: 'muted' });
  const tbody = h('tbody');
  const name = h('input', { id: 'new-name', autocomplete: 'off', required: true, maxlength: 64 });
  const role = h('select', { id: 'new-role', 'aria-label': 'Role' }, roles.map(r => h('option', { value: r }, r)));
  const password = h('input', { id: 'new-password', type: 'password', autocomplete: 'new-password', required: true });
  const tokens = h('div');

  const say = (text, bad = false) => { status.textContent = text; status.className = bad ? 'alert' : 'muted'; };

  async function load() {
    const users = await api('/api/users');
    clear(tbody, users.map(u => row(u)));
  }

  function row(u) {
    const select = h('select', { 'aria-label': `Role of ${u.name}`, onchange: () => change(u, { role: select.value }) },
      roles.map(r => h('option', { value: r, selected: r === u.role }, r)));
    return h('tr', { 'data-user': u.name },
      h('td', {}, u.name),
      h('td', {}, select),
      h('td', {}, u.disabled ? h('span', { class: 'badge failed' }, 'disabled') : h('span', { class: 'badge completed' }, 'enabled')),
      h('td', {}, fmt.time(u.updated_at)),
      h('td', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', onclick: () => change(u, { disabled: !u.disabled }) }, u.disabled ? 'Enable' : 'Disable'),
        h('button', { type: 'button', class: 'secondary', onclick: () => reset(u) }, 'Reset password')));
  }

  async function change(u, patch) {
    try {
      await api(`/api/users/${u.id}`, { method: 'PUT', body: patch });
      say(`Saved ${u.name}.`);
    } catch (e) { say(e.message, true); }
    await load();
  }

  async function reset(u) {
    const input = h('input', { type: 'password', 'aria-label': `New password for ${u.name}`, autocomplete: 'new-password' });
    const form = h('form', { class: 'row', onsubmit: async e => {
      e.preventDefault();
      try {
        await api(`/api/users/${u.id}/password`, { method: 'POST', body: { password: input.value } });
        say(`New password set for ${u.name}; their sessions have ended.`);
        form.remove();
      } catch (err) { say(err.message, true); }
    } }, input, h('button', { type: 'submit' }, 'Set password'));
    tbody.querySelector(`[data-user="${CSS.escape(u.name)}"] td.actions`)?.append(form);
    input.focus();
  }

  async function create(e) {
    e.preventDefault();
    try {
      await api('/api/users', { method: 'POST', body: { name: name.value.trim(), role: role.value, password: password.value } });
      say(`Created ${name.value.trim()}.`);
      name.value = ''; password.value = '';
      await load();
    } catch (err) { say(err.message, true); }
  }

  async function loadTokens() {
    const list = await api('/api/auth/tokens');
    clear(tokens, list.length === 0 ? h('p', { class: 'muted' }, 'No API tokens.') : h('table', { 'aria-label': 'API tokens' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Starts with'), h('th', {}, 'Created'), h('th', {}, 'Last used'), h('th', {}, ''))),
      h('tbody', {}, list.map(t => h('tr', {},
        h('td', {}, t.name), h('td', { class: 'mono' }, t.prefix + '…'), h('td', {}, fmt.time(t.created_at)), h('td', {}, fmt.time(t.last_used_at)),
        h('td', {}, t.revoked ? 'revoked' : h('button', { type: 'button', class: 'secondary', onclick: async () => {
          await api(`/api/auth/tokens/${t.id}`, { method: 'DELETE' }).catch(err => say(err.message, true));
          await loadTokens();
        } }, 'Revoke')))))));
  }

  const tokenName = h('input', { 'aria-label': 'Token name', placeholder: 'what it is for', maxlength: 100 });
  const secret = h('p', { class: 'mono' });
  async function createToken(e) {
    e.preventDefault();
    try {
      const created = await api('/api/auth/tokens', { method: 'POST', body: { name: tokenName.value } });
      secret.textContent = `New token (shown once): ${created.secret}`;
      tokenName.value = '';
      await loadTokens();
    } catch (err) { say(err.message, true); }
  }

  clear(view,
    h('h1', {}, 'Users'),
    status,
    h('section', { class: 'panel' },
      h('h2', {}, 'New user'),
      h('form', { class: 'row', onsubmit: create },
        h('label', { for: 'new-name' }, 'User name', name),
        h('label', { for: 'new-role' }, 'Role', role),
        h('label', { for: 'new-password' }, 'Password', password),
        h('button', { type: 'submit' }, 'Create user'))),
    h('section', { class: 'panel' },
      h('table', { 'aria-label': 'Users' },
        h('thead', {}, h('tr', {}, h('th', {}, 'User'), h('th', {}, 'Role'), h('th', {}, 'State'), h('th', {}, 'Changed'), h('th', {}, ''))),
        tbody)),
    h('section', { class: 'panel' },
      h('h2', {}, 'My API tokens'),
      h('p', { class: 'muted' }, 'For scripts: send as "Authorization: Bearer …". A token acts with your role.'),
      h('form', { class: 'row', onsubmit: createToken }, tokenName, h('button', { type: 'submit' }, 'Create token')),
      secret,
      tokens));
  load().catch(e => say(e.message, true));
  loadTokens().catch(e => say(e.message, true));
}
