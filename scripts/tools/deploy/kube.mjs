// Small helpers over rendered Kubernetes objects.

export const labelsMatch = (selector, labels = {}) => {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    if (e.operator === "In" && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === "NotIn" && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
};

export const isEmptySelector = (selector) =>
  !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);

/** Go duration ("4s", "1m30s", "500ms") in seconds; undefined when malformed. */
export function goDurationSeconds(text) {
  if (typeof text !== "string" || !/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
  const unit = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * unit[m[2]];
  return total;
}

export const podTemplate = (workload) => workload.spec?.template;

export function containerPort(container, port) {
  if (typeof port === "number") return port;
  return container?.ports?.find((p) => p.name === port)?.containerPort;
}

/** Component metadata as a name -> entry map (value or secretKeyRef). */
export const componentMetadata = (component) => new Map((component.spec?.metadata ?? []).map((m) => [m.name, m]));

/** Dapr's scoping syntax: "app1=t1,t2;app2=t3" with spaces ignored, as daprd reads it. */
export function parseScopes(text) {
  const scopes = new Map();
  for (const part of String(text ?? "").replace(/\s+/g, "").split(";")) {
    if (!part) continue;
    const [app, topics] = part.split("=");
    if (topics === undefined) continue;
    scopes.set(app, new Set(topics.split(",").filter(Boolean)));
  }
  return scopes;
}

export const parseTopicList = (text) => new Set(String(text ?? "").replace(/\s+/g, "").split(",").filter(Boolean));

export function setDiff(actual, expected) {
  const missing = [...expected].filter((x) => !actual.has(x)).sort();
  const extra = [...actual].filter((x) => !expected.has(x)).sort();
  return { missing, extra, same: missing.length === 0 && extra.length === 0 };
}

export const describeDiff = ({ missing, extra }) =>
  [missing.length ? `missing ${missing.join(", ")}` : "", extra.length ? `not expected ${extra.join(", ")}` : ""].filter(Boolean).join("; ");
