import { h } from './dom.js';

// The series page's share action (issue #5 fills it: a dialog with expiry, password, copy link).
export function shareAction(_series) {
  return h('button', { type: 'button', disabled: true, title: 'Share links arrive with issue #5' }, 'Create share link');
}
