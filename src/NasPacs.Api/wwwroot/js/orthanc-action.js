import { h } from './dom.js';

// The series page's Orthanc action (issue #6 fills it: push with live progress and the sync state).
export function orthancAction(_series) {
  return h('button', { type: 'button', disabled: true, title: 'Sending to Orthanc arrives with issue #6' }, 'Send to Orthanc');
}

// The search page's bulk action: push every series matching the current search (issue #6 fills it).
export function orthancSearchAction(_search) {
  return null;
}
