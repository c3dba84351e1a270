// One shared "reload everything" so that modules can ask for fresh data after a change without
// importing each other. Overlapping requests are merged into one extra run.

let loader = async () => {};
let running = null;
let again = false;

export function setLoader(fn) {
  loader = fn;
}

/** Reloads the dashboard data; resolves when the page shows data at least as new as this call. */
export function refreshNow() {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      do {
        again = false;
        await loader();
      } while (again);
    } finally {
      running = null;
    }
  })();
  return running;
}
