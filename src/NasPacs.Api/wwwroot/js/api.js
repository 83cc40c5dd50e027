// Calls the API; a ProblemDetails answer becomes an Error with the detail, the field errors and the suggestion.
export class ApiError extends Error {
  constructor(problem, status) {
    const fields = problem?.errors ? Object.values(problem.errors).flat().join(' ') : '';
    super(problem?.detail || fields || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }
}

export async function api(path, { method = 'GET', params } = {}) {
  const query = params
    ? '?' + new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString()
    : '';
  const response = await fetch(path + query, { method, headers: { Accept: 'application/json' } });
  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await response.json() : null;
  if (!response.ok) throw new ApiError(body, response.status);
  return body;
}

// The key goes in the path; '/' in fallback keys stays a path separator for the catch-all route.
export const seriesPath = key => '/api/series/' + key.split('/').map(encodeURIComponent).join('/');
export const seriesHash = key => '#/series/' + encodeURIComponent(key);
