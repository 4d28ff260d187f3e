// "Share link": a presigned GET of one object that anyone holding the URL can use until it expires.
// It is signed with the session's access key (not the session), so it keeps working after sign-out and
// needs no cookie. SigV4 query presigning caps X-Amz-Expires at 604800 s (7 days):
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
import {announce, h, replace, showAlert} from './dom.js';
import {presignWithExpiry} from './api.js';
import {formatDate, plural} from './format.js';

const MAX_SECONDS = 604800;
const MAX_HOURS = MAX_SECONDS / 3600;
const CHOICES = [['3600', '1 hour'], ['86400', '1 day'], ['604800', '7 days'], ['custom', 'Custom (hours)']];

/** The "Share link" section of the details panel for bucket/key. */
export function shareLinkSection(bucket, key) {
  const expiry = h('select', {id: 'share-expiry'},
    CHOICES.map(([value, label]) => h('option', {value}, label)));
  const hours = h('input', {id: 'share-hours', type: 'number', min: '1', max: String(MAX_HOURS), step: '1',
    value: '24', hidden: true, 'aria-label': `Hours until the link expires (1 to ${MAX_HOURS})`});
  const error = h('p', {id: 'share-error', role: 'alert', class: 'error', hidden: true});
  const result = h('div', {id: 'share-result', hidden: true});
  const create = h('button', {type: 'button', id: 'share-create', class: 'secondary small'}, 'Create link');
  expiry.addEventListener('change', () => {
    hours.hidden = expiry.value !== 'custom';
  });
  create.addEventListener('click', async () => {
    showAlert(error, '');
    const seconds = chosenSeconds(expiry.value, hours.value);
    if (seconds === null) {
      showAlert(error, `Enter a whole number of hours from 1 to ${MAX_HOURS} (7 days, the longest a link can last).`);
      return;
    }
    create.disabled = true;
    try {
      const answer = await presignWithExpiry({method: 'GET', bucket, key, expiresSeconds: seconds});
      showLink(result, new URL(answer.url, location.origin).href, seconds, new Date(answer.expires));
    } catch (e) {
      result.hidden = true;
      showAlert(error, `The link could not be created. ${e.message}`);
    } finally {
      create.disabled = false;
    }
  });
  return h('section', {id: 'share-link', 'aria-labelledby': 'share-title'},
    h('h3', {id: 'share-title'}, 'Share link'),
    h('p', {class: 'hint'}, 'Anyone with the link can download this object until it expires, signed in or not.'),
    h('div', {class: 'share-controls'},
      h('label', {htmlFor: 'share-expiry'}, 'Expires after'), expiry, hours, create),
    error, result);
}

/** Seconds for the chosen expiry, or null when the custom number of hours is not a whole 1..168. */
function chosenSeconds(choice, hoursText) {
  if (choice !== 'custom') return Number(choice);
  const hours = Number(hoursText);
  return Number.isInteger(hours) && hours >= 1 && hours <= MAX_HOURS ? hours * 3600 : null;
}

function showLink(result, url, seconds, expires) {
  const field = h('input', {id: 'share-url', type: 'text', readonly: true, value: url, 'aria-label': 'Share link',
    class: 'share-url'});
  const note = h('p', {id: 'share-copy-note', class: 'hint', role: 'status'});
  const copy = h('button', {type: 'button', id: 'share-copy', class: 'secondary small', on: {click: async () => {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(url);
        note.textContent = 'Link copied.';
        return;
      } catch {
        // Permission refused: fall back to selecting the field.
      }
    }
    field.focus();
    field.select();
    note.textContent = 'Press Ctrl+C (⌘C on a Mac) to copy the selected link.';
  }}}, 'Copy');
  const when = Number.isNaN(expires.getTime()) ? '' : ` (${formatDate(expires)})`;
  replace(result, field, copy,
    h('p', {id: 'share-expires', class: 'hint'}, `Expires in ${inWords(seconds)}${when}.`), note);
  result.hidden = false;
  announce('Share link created.');
}

/** "1 hour", "1 day", "7 days", "1 day 6 hours": the whole-hour expiries this section offers, in words. */
function inWords(seconds) {
  const hours = Math.round(seconds / 3600);
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  if (days === 0) return plural(hours, 'hour');
  return rest ? `${plural(days, 'day')} ${plural(rest, 'hour')}` : plural(days, 'day');
}
