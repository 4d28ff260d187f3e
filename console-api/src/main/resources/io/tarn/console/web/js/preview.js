// The details panel's preview, chosen by the object's Content-Type, from a presigned GET with
// response-content-disposition=inline (S3 then answers Content-Disposition: inline:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html). Text is read only up to its
// first 64 KiB (a signed Range header: https://www.rfc-editor.org/rfc/rfc9110#name-range) and shown
// as a text node, never parsed as HTML.
import {h, replace} from './dom.js';
import {presign} from './api.js';
import {formatBytes} from './format.js';

const TEXT_LIMIT = 65536;
const TEXT_TYPES = /^(text\/|application\/(json|xml|x-ndjson|yaml|x-yaml|csv|markdown)\b|application\/[\w.+-]+\+(json|xml)\b)/;

/** The kind of preview for a Content-Type: image, audio, video, pdf, text, or null (none). */
export function previewKind(contentType) {
  const type = (contentType || '').toLowerCase().trim();
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('application/pdf')) return 'pdf';
  return TEXT_TYPES.test(type) ? 'text' : null;
}

/** A "Preview" section for bucket/key (size bytes, contentType), or null when the type has none. */
export function previewSection(bucket, key, size, contentType) {
  const kind = previewKind(contentType);
  if (!kind) return null;
  const body = h('div', {id: 'preview-body', class: 'preview'}, h('p', {class: 'hint'}, 'Loading the preview…'));
  const section = h('section', {id: 'preview', 'data-kind': kind, 'data-loaded': 'false',
    'aria-labelledby': 'preview-title'}, h('h3', {id: 'preview-title'}, 'Preview'), body);
  fill(section, body, kind, bucket, key, size).catch((e) => {
    replace(body, h('p', {role: 'alert', class: 'error'}, `The preview could not be loaded. ${e.message}`));
    section.dataset.loaded = 'failed';
  });
  return section;
}

async function fill(section, body, kind, bucket, key, size) {
  const name = key.slice(key.lastIndexOf('/') + 1);
  if (kind === 'text') {
    await fillText(body, bucket, key, size);
  } else {
    const src = await presign({method: 'GET', bucket, key, query: {'response-content-disposition': 'inline'}});
    const element = {
      image: () => h('img', {src, alt: `Preview of ${name}`, class: 'preview-media'}),
      audio: () => h('audio', {src, controls: true, preload: 'metadata'}),
      video: () => h('video', {src, controls: true, preload: 'metadata', class: 'preview-media'}),
      pdf: () => h('iframe', {src, title: `Preview of ${name}`, class: 'preview-frame'}),
    }[kind]();
    replace(body, element);
  }
  section.dataset.loaded = 'true';
}

async function fillText(body, bucket, key, size) {
  if (size === 0) {
    replace(body, h('p', {class: 'hint'}, 'The file is empty.'));
    return;
  }
  // A Range on an empty object would be unsatisfiable (416), hence the check above.
  const range = `bytes=0-${TEXT_LIMIT - 1}`;
  const url = await presign({method: 'GET', bucket, key, query: {'response-content-disposition': 'inline'},
    headers: {range}});
  const res = await fetch(url, {headers: {Range: range}, credentials: 'omit', cache: 'no-store'});
  if (!res.ok) throw new Error(`S3 answered ${res.status}.`);
  const bytes = new Uint8Array(await res.arrayBuffer()).subarray(0, TEXT_LIMIT);
  // stream: true drops a multi-byte character cut by the 64 KiB limit instead of showing U+FFFD.
  const text = new TextDecoder('utf-8').decode(bytes, {stream: size > TEXT_LIMIT});
  replace(body,
    h('pre', {id: 'preview-text', class: 'preview-text'}, text),
    size > TEXT_LIMIT
      ? h('p', {id: 'preview-truncated', class: 'hint'}, `First 64 KiB of ${formatBytes(size)} shown.`)
      : null);
}
