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

// One session request at a time. Two sent before either answered (a click before the page's own request came back,
// on a slow server) each get their own antiforgery cookie; the form sent the second one's token, and the cookie the
// browser kept was whichever answer arrived last, so the sign-in could fail with 400 ("The page had expired"). CI saw
// that answer twice on a loaded machine, after two session requests; the form now waits for the page's request.
let current = session();
current.then(s => {
  if (s.authenticated) location.replace(target());
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
    const { csrf } = await current.catch(() => (current = session())); // the page's request failed: ask again
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
      current = session();
      await current;
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
