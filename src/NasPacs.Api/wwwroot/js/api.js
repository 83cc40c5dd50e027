// Calls the API; a ProblemDetails answer becomes an Error with the detail, the field errors and the suggestion.
// Without a session (401) the page goes to the sign-in page. State-changing calls carry the session's antiforgery
// token (X-CSRF-TOKEN), fetched once from /api/auth/session and again when the server says it is stale.
export class ApiError extends Error {
  constructor(problem, status) {
    const fields = problem?.errors ? Object.values(problem.errors).flat().join(' ') : '';
    super(problem?.detail || fields || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }
}

let sessionPromise = null;

// The signed-in user ({ authenticated, user: { id, name, role }, csrf }), fetched once per page.
export function session(refresh = false) {
  if (refresh || !sessionPromise) {
    sessionPromise = fetch('/api/auth/session', { headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then(r => r.json())
      .catch(e => { sessionPromise = null; throw e; });
  }
  return sessionPromise;
}

export function toSignIn() {
  const back = location.pathname + location.search + location.hash;
  location.assign('/login.html?returnUrl=' + encodeURIComponent(back));
}

const safe = method => ['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());

export async function api(path, { method = 'GET', params, body } = {}) {
  const query = params
    ? '?' + new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString()
    : '';
  const send = async refresh => {
    const headers = { Accept: 'application/json' };
    if (!safe(method)) headers['X-CSRF-TOKEN'] = (await session(refresh)).csrf;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(path + query, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  };
  let response = await send(false);
  const type = () => response.headers.get('content-type') ?? '';
  let data = type().includes('json') ? await response.json() : null;
  if (response.status === 400 && data?.type === 'urn:naspacs:error:csrf') {
    response = await send(true);
    data = type().includes('json') ? await response.json() : null;
  }
  if (response.status === 401) {
    toSignIn();
    throw new ApiError({ detail: 'Your session has ended. Please sign in.' }, 401);
  }
  if (!response.ok) throw new ApiError(data, response.status);
  return data;
}

// The key goes in the path; '/' in fallback keys stays a path separator for the catch-all route.
export const seriesPath = key => '/api/series/' + key.split('/').map(encodeURIComponent).join('/');
// With several roots a key may exist in more than one: the root travels with it.
export const seriesHash = (key, root) => '#/series/' + encodeURIComponent(key) + (root ? '?root=' + encodeURIComponent(root) : '');
