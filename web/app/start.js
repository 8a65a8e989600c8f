// The first thing the page does: start (or join) the worker that owns the database, while the
// rest of the front end is still arriving. index.html loads this module before app.js; the
// worker's start (its script, the WebAssembly module, the database) then overlaps with the
// loading of the views instead of waiting for it. app.js takes the connection from here.
import { connect } from '../host/client.js';

let blocked = false;
const blockedListeners = [];

export const connection = connect({
  // Only where SharedWorker is missing: another tab holds the database for now.
  onBlocked: () => {
    blocked = true;
    for (const fn of blockedListeners) fn();
  },
});

export function onBlocked(fn) {
  blockedListeners.push(fn);
  if (blocked) fn();
}
