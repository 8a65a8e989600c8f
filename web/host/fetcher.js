// A helper thread of the database worker (worker.js) that runs its sync requests.
//
// A response body is read by the event loop of the thread that fetched it. The database
// worker is busy for ~100 ms at a time while it applies a pulled page, so a page fetched there
// arrives only in the gaps; fetched here, the next page is read in full while the current one
// is applied, and handed over in one transfer (no copy).
//
// Messages in:  {id, url, init}  a fetch (init without signal)
//               {id, abort: true} abort that fetch
// Messages out: {id, status, statusText, headers: [[name, value]…], body: ArrayBuffer} (transferred)
//               {id, failed: message}  the network did not answer (or the fetch was aborted)
'use strict';

const running = new Map(); // id -> AbortController

self.onmessage = async ({ data }) => {
  const { id } = data;
  if (data.abort) {
    const c = running.get(id);
    if (c) c.abort();
    return;
  }
  const abort = new AbortController();
  running.set(id, abort);
  try {
    const res = await fetch(data.url, { ...data.init, signal: abort.signal });
    const body = await res.arrayBuffer();
    self.postMessage({ id, status: res.status, statusText: res.statusText, headers: [...res.headers], body }, [body]);
  } catch (e) {
    self.postMessage({ id, failed: (e && e.message) || String(e) });
  } finally {
    running.delete(id);
  }
};
