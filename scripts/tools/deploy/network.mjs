// Network flows: what the system needs, derived from the code and the manifests, against what the namespace's
// NetworkPolicies allow. Every needed flow must be allowed (egress at its source, ingress at its destination when
// that is a pod of the namespace), and every grant a policy makes must be one of the needed flows.
//
// Peers are written canonically so a needed flow and a grant compare as strings:
//   pod:<workload>                        a workload of the namespace (Deployment, CloudNativePG cluster)
//   ns:<namespace>[/<label>=<value>,...]  pods of another namespace (by kubernetes.io/metadata.name), optionally labelled
//   nslabel:<label>=<value>               pods of namespaces carrying a label (the API gateway's)
//   internet                              0.0.0.0/0 minus private, shared, link-local and loopback ranges
//   apiserver                             the Kubernetes API server (an ipBlock in a policy annotated as such)
//   ip:<cidr>[!<except>,...]              any other address block (never needed: always a finding)
import { labelsMatch, isEmptySelector } from "./kube.mjs";

export const INTERNET_EXCEPT = ["10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"];
export const API_SERVER_ANNOTATION = "watershed.example/peer";
export const GATEWAY_LABEL = "watershed.example/api-gateway";

/** The facts of the platform every Watershed namespace relies on (not in this repository's code). */
export const PLATFORM = {
  dns: "ns:kube-system/k8s-app=kube-dns",
  daprSentry: { peer: "ns:dapr-system/app=dapr-sentry", port: 50001, why: "the sidecar's mTLS certificate (Dapr Sentry)" },
  daprOperator: { peer: "ns:dapr-system/app=dapr-operator", port: 6500, why: "the sidecar's components and configuration (Dapr operator)" },
  daprInternalPort: 50002,
  gateway: `nslabel:${GATEWAY_LABEL}=true`,
  cnpgOperator: { peer: "ns:cnpg-system/app.kubernetes.io/name=cloudnative-pg", port: 8000, why: "the CloudNativePG operator asks each instance for its status" },
  postgresPort: 5432,
  apiServerPorts: [443, 6443],
};

const podLabels = (obj) => {
  if (obj.kind === "Cluster" && obj.apiVersion.startsWith("postgresql.cnpg.io/")) {
    return { "cnpg.io/cluster": obj.metadata.name, "cnpg.io/podRole": "instance" };
  }
  return obj.spec?.template?.metadata?.labels ?? {};
};

/** The namespace's pods, one entry per workload. */
export function namespacePods(objects) {
  return objects
    .filter((o) => ["Deployment", "StatefulSet", "DaemonSet"].includes(o.kind) || (o.kind === "Cluster" && o.apiVersion.startsWith("postgresql.cnpg.io/")))
    .map((o) => ({ id: `pod:${o.metadata.name}`, name: o.metadata.name, labels: podLabels(o), workload: o }));
}

function canonicalExternal(peer, namespace, policy) {
  if (peer.ipBlock) {
    const except = [...(peer.ipBlock.except ?? [])].sort();
    if (policy.metadata?.annotations?.[API_SERVER_ANNOTATION] === "kubernetes-api-server") return "apiserver";
    if (peer.ipBlock.cidr === "0.0.0.0/0" && JSON.stringify(except) === JSON.stringify(INTERNET_EXCEPT)) return "internet";
    return `ip:${peer.ipBlock.cidr}${except.length ? `!${except.join(",")}` : ""}`;
  }
  const ns = peer.namespaceSelector;
  const named = ns?.matchLabels?.["kubernetes.io/metadata.name"];
  const podPart = Object.entries(peer.podSelector?.matchLabels ?? {}).sort().map(([k, v]) => `${k}=${v}`).join(",");
  if ((peer.podSelector?.matchExpressions ?? []).length || (ns?.matchExpressions ?? []).length) return `unsupported:${JSON.stringify(peer)}`;
  if (named && Object.keys(ns.matchLabels).length === 1) {
    if (named === namespace) return undefined; // the namespace itself: resolved to its pods by the caller
    return `ns:${named}${podPart ? `/${podPart}` : ""}`;
  }
  const labels = Object.entries(ns?.matchLabels ?? {}).sort().map(([k, v]) => `${k}=${v}`).join(",");
  if (!labels) return `unsupported:${JSON.stringify(peer)}`;
  return `nslabel:${labels}${podPart ? `/${podPart}` : ""}`;
}

/** Every grant of the namespace's policies, one per (direction, pod, peer, port, protocol). */
export function grants(policies, pods, namespace, fail, where) {
  const out = [];
  for (const policy of policies) {
    const name = `${where}/NetworkPolicy/${policy.metadata.name}`;
    const selected = pods.filter((p) => isEmptySelector(policy.spec.podSelector) || labelsMatch(policy.spec.podSelector, p.labels));
    if (selected.length === 0) fail("network", name, "selects no pod of the namespace");
    const types = policy.spec.policyTypes ?? ["Ingress", ...(policy.spec.egress ? ["Egress"] : [])];
    for (const direction of ["Ingress", "Egress"]) {
      if (!types.includes(direction)) continue;
      const rules = policy.spec[direction === "Ingress" ? "ingress" : "egress"] ?? [];
      for (const rule of rules) {
        const peers = rule[direction === "Ingress" ? "from" : "to"];
        if (!peers || peers.length === 0) { fail("network", name, `a ${direction.toLowerCase()} rule allows every peer`); continue; }
        if (!rule.ports || rule.ports.length === 0) { fail("network", name, `a ${direction.toLowerCase()} rule allows every port`); continue; }
        const resolved = [];
        for (const peer of peers) {
          const external = peer.namespaceSelector || peer.ipBlock ? canonicalExternal(peer, namespace, policy) : undefined;
          if (external) { resolved.push(external); continue; }
          const local = pods.filter((p) => isEmptySelector(peer.podSelector) || labelsMatch(peer.podSelector, p.labels));
          if (local.length === 0) fail("network", name, `a peer selects no pod of the namespace (${JSON.stringify(peer.podSelector)})`);
          resolved.push(...local.map((p) => p.id));
        }
        for (const port of rule.ports) {
          if (typeof port.port !== "number") { fail("network", name, `port ${JSON.stringify(port.port)} must be a number (named ports hide what is open)`); continue; }
          if (port.endPort) { fail("network", name, `port range ${port.port}-${port.endPort} is wider than any flow`); continue; }
          for (const pod of selected) {
            for (const peer of resolved) {
              out.push({ direction, pod: pod.id, peer, port: port.port, protocol: port.protocol ?? "TCP", policy: policy.metadata.name });
            }
          }
        }
      }
    }
  }
  return out;
}

export const flowKey = (f) => `${f.from} -> ${f.to} ${f.port}/${f.protocol ?? "TCP"}`;

/** Compares the needed flows with the grants: what is needed and not allowed, and what is allowed and not needed. */
export function compareFlows(flows, allGrants, where, fail) {
  const egress = new Set(allGrants.filter((g) => g.direction === "Egress").map((g) => `${g.pod} -> ${g.peer} ${g.port}/${g.protocol}`));
  const ingress = new Set(allGrants.filter((g) => g.direction === "Ingress").map((g) => `${g.peer} -> ${g.pod} ${g.port}/${g.protocol}`));
  const needed = new Map(flows.map((f) => [flowKey(f), f]));
  for (const [key, flow] of needed) {
    if (flow.from.startsWith("pod:") && !egress.has(key)) fail("network", where, `needed flow ${key} (${flow.why}) is not allowed out of ${flow.from}`);
    if (flow.to.startsWith("pod:") && !ingress.has(key)) fail("network", where, `needed flow ${key} (${flow.why}) is not allowed into ${flow.to}`);
  }
  const reported = new Set();
  for (const g of allGrants) {
    const key = g.direction === "Egress" ? `${g.pod} -> ${g.peer} ${g.port}/${g.protocol}` : `${g.peer} -> ${g.pod} ${g.port}/${g.protocol}`;
    if (!needed.has(key) && !reported.has(key)) {
      reported.add(key);
      fail("network", where, `NetworkPolicy ${g.policy} allows ${key}, a flow the system does not make`);
    }
  }
}
