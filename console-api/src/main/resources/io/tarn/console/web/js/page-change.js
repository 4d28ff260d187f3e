// How a page runs a change the user asked for (add, disable, delete, revoke…), the same on every page:
// clear the page's alert, mark the page busy (data-loaded="false", which tests wait on), run the change,
// say in words why it failed, then draw the page again from the server.
import {currentSession} from './api.js';
import {showAlert} from './dom.js';

/**
 * The change runner of a page: change(what, fn, reload = true) awaits fn(), shows "<what> did not work.
 * <why>" in the error element if it throws, reloads the page with load(), and resolves true when fn
 * worked. reload false: the change ends the session (e.g. deleting the key it was made with), so there is
 * nothing to reload — it would only meet the server's 401 —, unless it failed.
 */
export function pageChanges(page, error, load) {
  return async function change(what, fn, reload = true) {
    showAlert(error, '');
    page.dataset.loaded = 'false';
    let ok = false;
    try {
      await fn();
      ok = true;
    } catch (e) {
      showAlert(error, `${what} did not work. ${e.message}`);
    }
    if (currentSession() && (reload || !ok)) await load();
    return ok;
  };
}
