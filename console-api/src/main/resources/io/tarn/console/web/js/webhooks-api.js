// The delivery-log calls of the webhooks API (/_tarn/api/v1/buckets/<bucket>/...), the endpoints
// `tarn webhooks deliveries|delivery|events|redeliver` use; the session is the credential.
import {tarnApi} from './api.js';

const b = (bucket) => `/buckets/${encodeURIComponent(bucket)}`;

function query(params) {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') q.set(name, value);
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const listRules = (bucket) => tarnApi('GET', `${b(bucket)}/webhooks`);

/** filter: {status, prefix, from, to, after, limit} (from/to ISO-8601). */
export const listDeliveries = (bucket, rule, filter) =>
  tarnApi('GET', `${b(bucket)}/webhooks/${encodeURIComponent(rule)}/deliveries${query(filter)}`);

export const getDelivery = (bucket, id) => tarnApi('GET', `${b(bucket)}/deliveries/${encodeURIComponent(id)}`);

export const redeliverOne = (bucket, id) =>
  tarnApi('POST', `${b(bucket)}/deliveries/${encodeURIComponent(id)}/redeliver`, {});

export const redeliverMany = (bucket, ids) => tarnApi('POST', `${b(bucket)}/deliveries/redeliver`, {ids});

export const countDeadLetters = (bucket, rule) =>
  tarnApi('POST', `${b(bucket)}/webhooks/${encodeURIComponent(rule)}/redeliver?dryRun=true`, {});

export const redeliverAllDead = (bucket, rule) =>
  tarnApi('POST', `${b(bucket)}/webhooks/${encodeURIComponent(rule)}/redeliver`, {});

export const objectDeliveries = (bucket, key) => tarnApi('GET', `${b(bucket)}/deliveries${query({key})}`);
