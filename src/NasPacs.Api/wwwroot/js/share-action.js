import { api } from './api.js';
import { h, clear } from './dom.js';

// The series page's share action: a button that opens a dialog (expiry, password, maximum downloads, what the landing
// page shows), creates the link and offers to copy it. The link is shown once: only its hash is stored.
export function shareAction(series) {
  const dialog = shareDialog(series);
  const button = h('button', { type: 'button', onclick: () => dialog.open() }, 'Create share link');
  return h('span', { class: 'share-action' }, button, dialog.element);
}

const EXPIRIES = [['1', '1 hour'], ['24', '24 hours'], ['72', '3 days'], ['168', '7 days'], ['720', '30 days']];

function shareDialog(series) {
  const expiry = h('select', { name: 'expiry' }, EXPIRIES.map(([v, label]) => h('option', { value: v, selected: v === '24' }, label)));
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', minlength: 8, placeholder: 'Optional, at least 8 characters' });
  const maxDownloads = h('input', { type: 'number', name: 'max_downloads', min: 1, step: 1, placeholder: 'No limit' });
  const note = h('textarea', { name: 'note', rows: 2, maxlength: 500, placeholder: 'Optional message shown to the recipient' });
  const showDetails = h('input', { type: 'checkbox', name: 'show_details' });
  const showPatient = h('input', { type: 'checkbox', name: 'show_patient' });
  const deflate = h('input', { type: 'checkbox', name: 'deflate' });
  const problem = h('div', { class: 'alert', role: 'alert', hidden: true });
  const result = h('div', { class: 'share-result', hidden: true });
  const create = h('button', { type: 'submit' }, 'Create link');
  const form = h('form', { method: 'dialog', class: 'share-form', onsubmit: submit },
    h('h2', {}, 'Share this series'),
    h('p', { class: 'muted' }, 'Anyone with the link can download the series as a zip until it expires or is revoked.'),
    h('label', {}, 'Expires after', expiry),
    h('label', {}, 'Password', password),
    h('label', {}, 'Maximum downloads', maxDownloads),
    h('label', {}, 'Message', note),
    h('fieldset', {}, h('legend', {}, 'The recipient\u2019s page shows'),
      h('label', { class: 'check' }, showDetails, 'Series details (modality, dates, descriptions, file count)'),
      h('label', { class: 'check' }, showPatient, 'Patient name and ID'),
      h('label', { class: 'check' }, deflate, 'Compress the zip (slower; rarely smaller for images)')),
    problem,
    h('div', { class: 'actions' }, create, h('button', { type: 'button', class: 'secondary', onclick: () => element.close() }, 'Close')),
    result);
  const element = h('dialog', { class: 'share-dialog', 'aria-label': 'Share this series' }, form);

  async function submit(event) {
    event.preventDefault();
    problem.hidden = true;
    create.disabled = true;
    try {
      const created = await api('/api/shares', {
        method: 'POST',
        body: {
          root: series.root ?? undefined,
          series_key: series.series_key,
          expires_in_hours: Number(expiry.value),
          password: password.value || undefined,
          max_downloads: maxDownloads.value ? Number(maxDownloads.value) : undefined,
          note: note.value.trim() || undefined,
          show_details: showDetails.checked,
          show_patient: showPatient.checked,
          compression: deflate.checked ? 'deflate' : 'stored',
        },
      });
      showLink(created);
    } catch (e) {
      clear(problem, e.message);
      problem.hidden = false;
    } finally {
      create.disabled = false;
    }
  }

  function showLink(created) {
    const link = h('input', { type: 'text', readonly: true, value: created.url, 'aria-label': 'Share link', class: 'mono share-link' });
    const copied = h('span', { class: 'muted', role: 'status' });
    const copy = h('button', { type: 'button', onclick: async () => {
      link.select();
      try { await navigator.clipboard.writeText(created.url); copied.textContent = 'Copied.'; }
      catch { copied.textContent = 'Press Ctrl+C to copy.'; }
    } }, 'Copy link');
    clear(result,
      h('p', {}, `Link created. It expires ${new Date(created.share.expires_at).toLocaleString()}. It is shown only now.`),
      h('div', { class: 'share-copy' }, link, copy), copied,
      h('p', {}, h('a', { href: '#/shares' }, 'All share links')));
    result.hidden = false;
    password.value = '';
  }

  return {
    element,
    open() {
      problem.hidden = true;
      result.hidden = true;
      element.showModal();
    },
  };
}
