// The sign-in page: fetch an antiforgery token for this (anonymous) session, post the form with it, then go back to
// where the user was headed (same-origin paths only).
const form = document.getElementById('signin');
const message = document.getElementById('message');

function target() {
  const wanted = new URLSearchParams(location.search).get('returnUrl') ?? '/';
  return wanted.startsWith('/') && !wanted.startsWith('//') && !wanted.startsWith('/\\') ? wanted : '/';
}

function show(text) {
  message.textContent = text;
  message.hidden = !text;
}

async function session() {
  const response = await fetch('/api/auth/session', { headers: { Accept: 'application/json' }, cache: 'no-store' });
  return response.json();
}

// Why a sign-in at the identity provider came back refused (fixed codes from the server, never the provider's text).
const SSO_REFUSED = {
  'no-role': 'Your account at the identity provider has no NasPacs role. Ask an administrator to add you to a group that maps to admin, operator or viewer.',
  failed: 'Sign-in with the identity provider failed. Try again; if it keeps failing, tell an administrator (the audit log has the time).',
};

let csrf = null;
session().then(s => {
  if (s.authenticated) location.replace(target());
  csrf = s.csrf;
  const sso = document.getElementById('sso');
  if (s.sso) {
    sso.textContent = s.sso.label;
    sso.href = s.sso.url;
    sso.hidden = false;
  }
  const refused = SSO_REFUSED[new URLSearchParams(location.search).get('sso')];
  if (refused) show(refused);
}).catch(() => show('The server cannot be reached.'));

form.addEventListener('submit', async event => {
  event.preventDefault();
  const button = form.querySelector('button');
  button.disabled = true;
  show('');
  try {
    csrf ??= (await session()).csrf;
    const response = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-TOKEN': csrf },
      body: JSON.stringify({ name: form.name.value.trim(), password: form.password.value }),
    });
    if (response.ok) {
      location.replace(target());
      return;
    }
    const problem = await response.json().catch(() => ({}));
    if (response.status === 429) {
      const wait = response.headers.get('Retry-After');
      show(`${problem.detail ?? 'Too many attempts.'}${wait ? ` Try again in ${wait} s.` : ''}`);
    } else if (response.status === 400 && problem.type === 'urn:naspacs:error:csrf') {
      csrf = (await session()).csrf;
      show('The page had expired. Please sign in again.');
    } else {
      show(problem.detail ?? (problem.errors ? Object.values(problem.errors).flat().join(' ') : `Sign-in failed (HTTP ${response.status}).`));
    }
    form.password.value = '';
    form.password.focus();
  } catch {
    show('The server cannot be reached.');
  } finally {
    button.disabled = false;
  }
});
