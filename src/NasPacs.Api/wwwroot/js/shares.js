import { h, clear } from './dom.js';

// The shares page: list, revoke, access log (issue #5 fills it).
export function renderShares(view) {
  clear(view, h('h1', {}, 'Shares'), h('p', { class: 'muted' }, 'Share links arrive with issue #5.'));
}
