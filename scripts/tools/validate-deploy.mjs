// Renders every kustomize overlay under deploy/k8s/overlays and validates what a cluster would receive:
// core objects against the Kubernetes schemas (kubernetes-models), Dapr resources against Dapr's CRD
// schemas (vendored in deploy/schemas/dapr), and the project's own rules for workloads.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import yaml from "js-yaml";
import Ajv from "ajv";

const root = resolve(process.argv[2] ?? ".");
const overlays = join(root, "deploy/k8s/overlays");
const errors = [];
const fail = (where, message) => errors.push(`${where}: ${message}`);

const daprSchemas = new Map();
const daprDir = join(root, "deploy/schemas/dapr");
if (!existsSync(daprDir)) {
  fail("deploy/schemas/dapr", "Dapr's CRD schemas are missing");
} else {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false });
  for (const file of readdirSync(daprDir).filter((f) => f.endsWith(".yaml"))) {
    for (const crd of yaml.loadAll(readFileSync(join(daprDir, file), "utf8"))) {
      if (crd?.kind !== "CustomResourceDefinition") continue;
      for (const version of crd.spec.versions) {
        daprSchemas.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, ajv.compile(version.schema.openAPIV3Schema));
      }
    }
  }
}

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const path = group === "" ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
  try {
    return (await import(path))[kind];
  } catch {
    return undefined;
  }
}

let checked = 0;
for (const overlay of readdirSync(overlays)) {
  const rendered = execFileSync("kubectl", ["kustomize", join(overlays, overlay)], { encoding: "utf8" });
  const objects = yaml.loadAll(rendered).filter(Boolean);
  const ports = new Map();
  for (const obj of objects) {
    const where = `${overlay}/${obj.kind}/${obj.metadata?.name}`;
    checked++;
    const dapr = daprSchemas.get(`${obj.apiVersion}/${obj.kind}`);
    if (obj.apiVersion.startsWith("dapr.io/")) {
      if (!dapr) fail(where, `no Dapr schema for ${obj.apiVersion} ${obj.kind}`);
      else if (!dapr(obj)) fail(where, JSON.stringify(dapr.errors));
      continue;
    }
    const Model = await modelFor(obj.apiVersion, obj.kind);
    if (!Model) { fail(where, `unknown kind ${obj.apiVersion} ${obj.kind}`); continue; }
    try { new Model(obj).validate(); } catch (e) { fail(where, e.message); }

    if (obj.kind === "Deployment") {
      const spec = obj.spec.template.spec;
      if (spec.securityContext?.runAsNonRoot !== true) fail(where, "pods must run as non-root");
      if ((spec.terminationGracePeriodSeconds ?? 30) < 26) fail(where, "the grace period must exceed the 5 s preStop pause plus the 20 s drain");
      if (overlay === "production" && !objects.some((o) => o.kind === "ConfigMap" && o.metadata.name === obj.metadata.name && o.data?.OTEL_EXPORTER_OTLP_ENDPOINT))
        fail(where, "production must export telemetry (OTEL_EXPORTER_OTLP_ENDPOINT in its ConfigMap)");
      for (const c of spec.containers) {
        if (!c.readinessProbe || !c.livenessProbe) fail(where, `container ${c.name} needs readiness and liveness probes`);
        // Liveness must not depend on the database (an outage would restart every pod); readiness must.
        if (c.livenessProbe?.grpc?.service !== "liveness") fail(where, `container ${c.name}: liveness must ask grpc.health.v1 service "liveness"`);
        if (c.readinessProbe?.grpc?.service !== "readiness") fail(where, `container ${c.name}: readiness must ask grpc.health.v1 service "readiness"`);
        if (!c.lifecycle?.preStop) fail(where, `container ${c.name} needs a preStop pause so endpoints drop it before it stops`);
        if (!c.resources?.limits?.memory) fail(where, `container ${c.name} needs a memory limit`);
        for (const p of c.ports ?? []) ports.set(`${obj.spec.template.metadata.labels["app.kubernetes.io/name"]}/${p.name}`, p.containerPort);
      }
    }
  }
  for (const svc of objects.filter((o) => o.kind === "Service")) {
    for (const p of svc.spec.ports) {
      const key = `${svc.spec.selector["app.kubernetes.io/name"]}/${p.targetPort}`;
      if (typeof p.targetPort === "string" && !ports.has(key)) fail(`${overlay}/Service/${svc.metadata.name}`, `targetPort ${p.targetPort} matches no container port`);
    }
  }
}

// Dapr resources outside the overlays (deploy/dapr: the components the Dapr CLI loads with dapr.yaml).
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]);
const daprFiles = existsSync(join(root, "deploy/dapr")) ? walk(join(root, "deploy/dapr")).filter((f) => f.endsWith(".yaml")) : [];
for (const file of daprFiles) {
  for (const obj of yaml.loadAll(readFileSync(file, "utf8")).filter(Boolean)) {
    const where = `${file.slice(root.length + 1)}/${obj.kind}/${obj.metadata?.name}`;
    checked++;
    const dapr = daprSchemas.get(`${obj.apiVersion}/${obj.kind}`);
    if (!dapr) fail(where, `no Dapr schema for ${obj.apiVersion} ${obj.kind}`);
    else if (!dapr(obj)) fail(where, JSON.stringify(dapr.errors));
  }
}

if (errors.length) {
  console.error(errors.join("\n"));
  process.exit(1);
}
console.log(`deploy: ${checked} objects valid (${readdirSync(overlays).length} overlays rendered, ${daprFiles.length} Dapr files)`);
