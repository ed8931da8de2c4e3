// Validates what a cluster would receive from deploy/ against the Kubernetes and Dapr schemas and against what the
// code says (project.mjs). Each finding names its check: render, schema, workload, security, dapr, autoscaling,
// app-ids, topics, scopes, ports, access, resiliency, tracing, mtls, secrets, database, images, network, docker,
// kafka, and code (a fact the code no longer shows where the check looks for it). Used by
// scripts/tools/validate-deploy.mjs (the test command) and by its tests.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import yaml from "js-yaml";
import { readProject, deadLetterTopic, timeSpanSeconds } from "./project.mjs";
import { loadDaprSchemas, unknownFields, kubernetesModel, checkStructural, OPERATOR_GROUPS } from "./schemas.mjs";
import { labelsMatch, goDurationSeconds, containerPort, componentMetadata, parseScopes, parseTopicList, setDiff, describeDiff } from "./kube.mjs";
import { namespacePods, grants, compareFlows, PLATFORM } from "./network.mjs";

const DIGEST = /@sha256:[0-9a-f]{64}$/;
const PLACEHOLDER_DIGEST = /@sha256:0{64}$/;
const DOCUMENTATION_NETS = [/^192\.0\.2\./, /^198\.51\.100\./, /^203\.0\.113\./];
const RESTRICTED_VOLUMES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];
const CREDENTIAL = /password|token|secret|clientkey|accountsid/i;

const run = promisify(execFile);

// Renders are cached in memory by the content of the files a kustomization can reach (its directory, and the base
// for an overlay), so the tests' many broken copies render only what their edit changed.
const renders = new Map();
function contentKey(dirs) {
  const hash = createHash("sha256");
  const add = (top, dir) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) add(top, path);
      else hash.update(`${relative(top, path)}\0`).update(readFileSync(path)).update("\0");
    }
  };
  dirs.forEach((d) => { hash.update(`${d.split("/deploy/k8s/")[1] ?? d}\0`); add(d, d); });
  return hash.digest("hex");
}
async function render(dir, reaches) {
  const key = contentKey([dir, ...reaches]);
  if (!renders.has(key)) {
    const pending = run("kubectl", ["kustomize", dir], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }).then((r) => r.stdout);
    renders.set(key, pending);
    pending.catch(() => renders.delete(key));
  }
  return renders.get(key);
}

export async function validate(root, { release = false } = {}) {
  const errors = [];
  const fail = (check, where, message) => errors.push(`[${check}] ${where}: ${message}`);
  const project = readProject(root);
  for (const problem of project.problems) fail("code", "project", problem);
  const appIds = new Set(project.apps.keys());

  // ---- Render every kustomization: the overlays, the Dapr control plane's Configuration, the Kafka cluster. ----
  const overlaysDir = join(root, "deploy/k8s/overlays");
  const overlayNames = existsSync(overlaysDir) ? readdirSync(overlaysDir).sort() : [];
  for (const required of ["dev", "production"]) if (!overlayNames.includes(required)) fail("render", `deploy/k8s/overlays/${required}`, "the overlay is missing");
  const rootsToRender = [
    ...overlayNames.map((name) => ({ name, dir: join(overlaysDir, name), overlay: true, reaches: [join(root, "deploy/k8s/base")] })),
    { name: "dapr-system", dir: join(root, "deploy/k8s/dapr-system") },
    { name: "kafka", dir: join(root, "deploy/k8s/kafka") },
  ];
  const rendered = new Map();
  await Promise.all(rootsToRender.map(async (r) => {
    if (!existsSync(join(r.dir, "kustomization.yaml"))) { fail("render", r.dir.slice(root.length + 1), "no kustomization.yaml"); return; }
    try {
      r.objects = yaml.loadAll(await render(r.dir, r.reaches ?? [])).filter(Boolean);
    } catch (e) {
      fail("render", r.dir.slice(root.length + 1), `kubectl kustomize failed: ${(e.stderr || e.message).toString().trim().split("\n")[0]}`);
    }
  }));
  for (const r of rootsToRender) if (r.objects) rendered.set(r.name, r);

  // ---- Schemas of every rendered object, and of the local Dapr files (dapr run -f dapr.yaml). ----
  const daprSchemas = loadDaprSchemas(root, fail);
  let objectCount = 0;
  const checkSchema = async (obj, where) => {
    objectCount++;
    const key = `${obj.apiVersion}/${obj.kind}`;
    if (obj.apiVersion?.startsWith("dapr.io/")) {
      const dapr = daprSchemas.get(key);
      if (!dapr) { fail("schema", where, `no Dapr schema for ${obj.apiVersion} ${obj.kind}`); return; }
      if (!dapr.validate(obj)) fail("schema", where, dapr.validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}`).join("; "));
      for (const path of unknownFields(obj, dapr.schema)) fail("schema", where, `unknown field ${path}`);
      return;
    }
    if (OPERATOR_GROUPS.some((g) => obj.apiVersion?.startsWith(`${g}/`))) {
      if (!checkStructural(obj, where, fail)) fail("schema", where, `no structural check for ${obj.apiVersion} ${obj.kind}`);
      return;
    }
    const Model = await kubernetesModel(obj.apiVersion, obj.kind);
    if (!Model) { fail("schema", where, `unknown kind ${obj.apiVersion} ${obj.kind}`); return; }
    try { new Model(obj).validate(); } catch (e) { fail("schema", where, e.message.split("\n").slice(0, 3).join(" ")); }
  };
  for (const r of rendered.values()) for (const obj of r.objects) await checkSchema(obj, `${r.name}/${obj.kind}/${obj.metadata?.name}`);
  const localDir = join(root, "deploy/dapr/local");
  const localFiles = existsSync(localDir) ? readdirSync(localDir).filter((f) => f.endsWith(".yaml")) : [];
  for (const file of localFiles) {
    for (const obj of yaml.loadAll(readFileSync(join(localDir, file), "utf8")).filter(Boolean)) await checkSchema(obj, `deploy/dapr/local/${file}/${obj.kind}/${obj.metadata?.name}`);
  }

  // ---- The code's own facts: topics, README's events table, dapr.yaml. ----
  checkTopics(project, fail);
  checkDaprYaml(project, fail);
  checkDockerfile(root, project, fail);

  const overlays = [...rendered.values()].filter((r) => r.overlay);
  for (const overlay of overlays) checkOverlay(overlay, project, appIds, fail, release);

  const daprSystem = rendered.get("dapr-system");
  if (daprSystem) {
    const config = daprSystem.objects.find((o) => o.kind === "Configuration" && o.metadata.name === "daprsystem");
    if (!config) fail("mtls", "dapr-system", "no Configuration \"daprsystem\" (the control plane's: mutual TLS between sidecars)");
    else {
      if (config.metadata.namespace !== "dapr-system") fail("mtls", "dapr-system/Configuration/daprsystem", "must be in the dapr-system namespace");
      if (config.spec?.mtls?.enabled !== true) fail("mtls", "dapr-system/Configuration/daprsystem", "mtls.enabled must be true (sidecars talk over mutual TLS)");
    }
  }
  const production = rendered.get("production");
  if (rendered.get("kafka") && production) checkKafka(rendered.get("kafka"), production, project, fail);

  return { errors, summary: `${objectCount} objects, ${rendered.size} kustomizations rendered (${overlays.map((o) => o.name).join(", ")}, dapr-system, kafka), ${localFiles.length} local Dapr files` };
}

// ---------------------------------------------------------------------------------------------------------------

/** Topics: every published topic is consumed or documented as external, and README's table says what the code does. */
function checkTopics(project, fail) {
  const subscribers = new Map([...project.published.keys()].map((t) => [t, new Set()]));
  for (const app of project.apps.values()) for (const topic of app.subscriptions.keys()) subscribers.get(topic)?.add(app.id);
  for (const [topic, subs] of subscribers) {
    const row = project.readme.get(topic);
    if (!row) { fail("topics", "README.md", `the events table does not list ${topic}`); continue; }
    if (subs.size === 0 && !row.external) fail("topics", "README.md", `${topic} has no subscriber in the code and the events table does not say it is for external consumers`);
    if (subs.size > 0 && row.external) fail("topics", "README.md", `${topic} is said to be for external consumers, but ${[...subs].join(", ")} subscribe(s) to it`);
    const said = new Set([...project.eventApps].filter((id) => row.text.replace(/\s+/g, "").toLowerCase().includes(id)));
    const diff = setDiff(said, subs);
    if (!diff.same) fail("topics", "README.md", `subscribers of ${topic} in the events table differ from the code: ${describeDiff(diff)}`);
  }
  for (const topic of project.readme.keys()) if (!project.published.has(topic)) fail("topics", "README.md", `the events table lists ${topic}, which no events proto declares`);
}

/** dapr.yaml: the same app ids, ports and protocol as the services, and clients pointing at real apps. */
function checkDaprYaml(project, fail) {
  const dapr = project.daprYaml;
  if (!dapr) return;
  const apps = dapr.apps ?? [];
  const ids = new Set(apps.map((a) => a.appID));
  const diff = setDiff(ids, new Set(project.apps.keys()));
  if (!diff.same) fail("app-ids", "dapr.yaml", `app ids differ from the services': ${describeDiff(diff)}`);
  const grpcPorts = new Set();
  for (const a of apps) {
    const app = project.apps.get(a.appID);
    const where = `dapr.yaml/${a.appID}`;
    if (!app) continue;
    if (a.appDirPath?.replace(/^\.\//, "").replace(/\/$/, "") !== `services/${app.dir}`) fail("app-ids", where, `appDirPath must be ./services/${app.dir}`);
    if (a.appProtocol !== app.protocol) fail("ports", where, app.kind === "web" ? "appProtocol must be http (the web app serves pages, no AppCallback)" : "appProtocol must be grpc (AppCallback on the gRPC port)");
    if (a.appPort !== app.port) fail("ports", where, `appPort ${a.appPort} differs from services/${app.dir}/appsettings.json's Kestrel port ${app.port}`);
    const url = a.env?.[`Kestrel__Endpoints__${app.endpoint}__Url`];
    if (url && Number(new URL(url).port) !== a.appPort) fail("ports", where, `Kestrel__Endpoints__${app.endpoint}__Url ${url} is not on appPort ${a.appPort}`);
    if (grpcPorts.has(a.daprGRPCPort)) fail("ports", where, `daprGRPCPort ${a.daprGRPCPort} is used twice`);
    grpcPorts.add(a.daprGRPCPort);
    for (const client of app.clients) {
      const appId = a.env?.[`Services__${client.section}__DaprAppId`];
      const address = a.env?.[`Services__${client.section}__Address`];
      if (appId && !project.apps.has(appId)) fail("app-ids", where, `Services__${client.section}__DaprAppId names ${appId}, which is no service's app id`);
      if (!appId && address) {
        const target = project.apps.get(client.section);
        if (target && Number(new URL(address).port) !== target.port) fail("ports", where, `Services__${client.section}__Address ${address} is not ${client.section}'s port ${target.port}`);
      }
      if (!appId && !address && !project.apps.get(a.appID).settings?.Services?.[client.section]) fail("ports", where, `nothing says where ${client.section} is (Services__${client.section}__DaprAppId)`);
    }
  }
}

/** The image recipe: development settings stay out, the process is not root, Production is the environment. */
function checkDockerfile(root, project, fail) {
  const path = join(root, "deploy/docker/Dockerfile");
  if (!existsSync(path)) { fail("docker", "deploy/docker/Dockerfile", "the image recipe is missing"); return; }
  const text = readFileSync(path, "utf8");
  const copies = [...text.matchAll(/^COPY\s+(?!--from)(.+)$/gm)].map((m) => m[1]).join(" ");
  if (!/\bDirectory\.Build\.targets\b/.test(copies)) fail("docker", "deploy/docker/Dockerfile", "must copy Directory.Build.targets: it keeps appsettings.Development.json out of the published service");
  const targets = join(root, "Directory.Build.targets");
  if (!existsSync(targets) || !/appsettings\.Development\.json"\s+CopyToPublishDirectory="Never"/.test(readFileSync(targets, "utf8"))) {
    fail("docker", "Directory.Build.targets", "must keep appsettings.Development.json out of every publish (CopyToPublishDirectory=\"Never\")");
  }
  if (/appsettings\.Development\.json/.test(copies)) fail("docker", "deploy/docker/Dockerfile", "copies development settings into the image");
  const stages = text.split(/^FROM\s/m);
  const last = stages[stages.length - 1];
  const user = /^USER\s+(\S+)/m.exec(last)?.[1];
  if (!user || !/^[1-9]\d*$/.test(user)) fail("docker", "deploy/docker/Dockerfile", `the runtime stage must run as a numeric non-root USER (Kubernetes verifies runAsNonRoot only on a number), not ${user ?? "root"}`);
  if (!/ASPNETCORE_ENVIRONMENT=Production/.test(last)) fail("docker", "deploy/docker/Dockerfile", "the runtime stage must set ASPNETCORE_ENVIRONMENT=Production");
  const ignore = join(root, ".dockerignore");
  if (!existsSync(ignore) || !["bin", "obj", ".local"].every((d) => new RegExp(`(^|/|\\*\\*/)${d.replace(".", "\\.")}/?$`, "m").test(readFileSync(ignore, "utf8")))) {
    fail("docker", ".dockerignore", "must keep bin/, obj/ and .local/ (local databases, secrets) out of the build context");
  }
  for (const app of project.apps.values()) {
    if (!existsSync(join(root, "services", app.dir, `Watershed.${app.dir}.csproj`))) fail("docker", `services/${app.dir}`, `the Dockerfile builds services/<SERVICE>/Watershed.<SERVICE>.csproj; Watershed.${app.dir}.csproj is missing`);
  }
}

// ---------------------------------------------------------------------------------------------------------------

function checkOverlay(overlay, project, appIds, fail, release) {
  const { name, objects } = overlay;
  const at = (o) => `${name}/${o.kind}/${o.metadata?.name}`;
  const of = (kind) => objects.filter((o) => o.kind === kind);
  const namespaces = of("Namespace");
  const ns = namespaces[0]?.metadata?.name;
  if (namespaces.length !== 1) fail("workload", name, "the overlay must create exactly one Namespace");
  for (const n of namespaces) {
    const labels = n.metadata.labels ?? {};
    if (labels["pod-security.kubernetes.io/enforce"] !== "restricted") fail("security", at(n), "must enforce Pod Security \"restricted\" (label pod-security.kubernetes.io/enforce)");
  }
  for (const o of objects) if (o.kind !== "Namespace" && o.metadata?.namespace !== ns) fail("workload", at(o), `is not in the overlay's namespace ${ns}`);
  for (const s of of("Secret")) fail("secrets", at(s), "Secrets are created out of band (README), never kept in the repository");

  const deployments = of("Deployment");
  const apiDeployments = deployments.filter((d) => d.spec.template.metadata?.annotations?.["dapr.io/enabled"] === "true");
  const configMap = (n) => of("ConfigMap").find((c) => c.metadata.name === n);
  // A service's settings as its process sees them: its ConfigMaps (envFrom), then literal env values.
  const envOf = (d) => {
    const container = d.spec.template.spec.containers.find((c) => c.name === d.metadata.name) ?? d.spec.template.spec.containers[0];
    const fromMaps = (container.envFrom ?? []).map((e) => configMap(e.configMapRef?.name)?.data ?? {});
    return Object.assign({}, ...fromMaps, Object.fromEntries((container.env ?? []).filter((e) => "value" in e).map((e) => [e.name, e.value])));
  };
  const services = of("Service");
  const components = of("Component");
  const configurations = of("Configuration");
  const idOf = (d) => d.spec.template.metadata.annotations["dapr.io/app-id"];

  // ---- Every workload: restricted security context, probes, requests and limits. ----
  for (const d of deployments) checkWorkload(d, at(d), fail, of("ServiceAccount"));

  // ---- The services: one Deployment per app id of the code, with everything a service pod needs. ----
  const deployed = new Set(apiDeployments.map(idOf));
  const diff = setDiff(deployed, appIds);
  if (!diff.same) fail("app-ids", name, `Dapr app ids of the Deployments differ from the services': ${describeDiff(diff)}`);
  for (const d of apiDeployments) {
    const id = idOf(d);
    const app = project.apps.get(id);
    const where = at(d);
    const pod = d.spec.template.spec;
    const container = pod.containers.find((c) => c.name === d.metadata.name) ?? pod.containers[0];
    const env = envOf(d);
    checkServicePod(d, container, env, where, project, fail, { configurations, services });
    checkAutoscaling(d, where, of, fail);
    if (app?.kind === "service") checkDatabase(d, container, env, where, objects, fail, name);
    if (app?.kind === "web") checkWebPod(d, container, env, where, fail);
    checkClients(env, app, where, project, fail);
  }

  checkComponents(components, project, appIds, name, fail, envOf, apiDeployments, idOf);
  checkConfigurations(configurations, apiDeployments, idOf, services, ns, name, fail, project, envOf);
  checkResiliency(objects, components, project, apiDeployments, idOf, envOf, name, fail);

  for (const c of of("Cluster").filter((o) => o.apiVersion.startsWith("postgresql.cnpg.io/"))) {
    const where = at(c);
    if (!(c.spec?.postgresql?.pg_hba ?? []).some((l) => /^hostnossl\s+all\s+all\s+all\s+reject$/.test(l.trim()))) fail("database", where, "must refuse connections without TLS (pg_hba: hostnossl all all all reject)");
    if (name === "production" && !(c.spec.instances >= 3)) fail("database", where, "production needs at least 3 instances (a primary and two replicas)");
  }

  checkImages(objects, name, fail, release);
  checkNetwork(overlay, ns, project, apiDeployments, idOf, envOf, components, fail, release);
}

function checkWorkload(d, where, fail, serviceAccounts) {
  const pod = d.spec.template.spec;
  const sc = pod.securityContext ?? {};
  if (sc.runAsNonRoot !== true) fail("security", where, "pods must run as non-root (securityContext.runAsNonRoot)");
  if (sc.runAsUser === 0) fail("security", where, "runAsUser must not be 0");
  for (const flag of ["hostNetwork", "hostPID", "hostIPC"]) if (pod[flag]) fail("security", where, `${flag} is not allowed (Pod Security restricted)`);
  for (const v of pod.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== "name");
    if (!RESTRICTED_VOLUMES.includes(type)) fail("security", where, `volume ${v.name} of type ${type} is not allowed (Pod Security restricted)`);
  }
  const sa = serviceAccounts.find((s) => s.metadata.name === pod.serviceAccountName);
  if (!sa) fail("security", where, `its ServiceAccount ${pod.serviceAccountName ?? "default"} is not in the overlay (the default one mounts an API token)`);
  else if (sa.automountServiceAccountToken !== false || pod.automountServiceAccountToken === true) fail("security", where, "must not mount a Kubernetes API token (automountServiceAccountToken: false)");
  for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
    const csc = c.securityContext ?? {};
    const who = `${where} container ${c.name}`;
    if (csc.allowPrivilegeEscalation !== false) fail("security", who, "allowPrivilegeEscalation must be false");
    if (!(csc.capabilities?.drop ?? []).includes("ALL")) fail("security", who, "must drop ALL capabilities");
    if ((csc.capabilities?.add ?? []).length) fail("security", who, "must add no capability");
    if (csc.privileged) fail("security", who, "must not be privileged");
    if (csc.readOnlyRootFilesystem !== true) fail("security", who, "the root filesystem must be read-only");
    if (csc.runAsNonRoot === false || csc.runAsUser === 0) fail("security", who, "must not run as root");
    const seccomp = csc.seccompProfile?.type ?? sc.seccompProfile?.type;
    if (!["RuntimeDefault", "Localhost"].includes(seccomp)) fail("security", who, "needs the RuntimeDefault seccomp profile");
    if (!c.readinessProbe || !c.livenessProbe) fail("workload", who, "needs readiness and liveness probes");
    if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory) fail("workload", who, "needs cpu and memory requests");
    if (!c.resources?.limits?.memory) fail("workload", who, "needs a memory limit");
    if (!/[:@]/.test(c.image.split("/").pop())) fail("images", who, `image ${c.image} names no tag or digest`);
    if (/:latest$/.test(c.image)) fail("images", who, `image ${c.image} uses the moving tag "latest"`);
  }
}

function checkServicePod(d, container, env, where, project, fail, { configurations, services }) {
  const a = d.spec.template.metadata.annotations;
  const pod = d.spec.template.spec;
  const id = a["dapr.io/app-id"];
  const app = project.apps.get(id);
  const web = app?.kind === "web";
  // A service listens for gRPC on its "grpc" port; the web app for HTTP on its "http" port.
  const endpoint = app?.endpoint ?? "Grpc";
  const portName = endpoint.toLowerCase();
  const appPort = containerPort(container, portName);
  const kestrel = env[`Kestrel__Endpoints__${endpoint}__Url`];
  const kestrelPort = kestrel ? Number(new URL(kestrel).port) : undefined;
  if (!kestrelPort) fail("ports", where, `its ConfigMap must set Kestrel__Endpoints__${endpoint}__Url (where it listens in the pod)`);
  if (appPort !== kestrelPort) fail("ports", where, `container port ${portName} ${appPort} differs from Kestrel__Endpoints__${endpoint}__Url ${kestrel}`);
  if (Number(a["dapr.io/app-port"]) !== kestrelPort) fail("ports", where, `dapr.io/app-port ${a["dapr.io/app-port"]} differs from the port the app listens on (${kestrelPort})`);
  if (web && a["dapr.io/app-protocol"] !== "http") fail("dapr", where, "dapr.io/app-protocol must be http (the web app serves HTTP/1.1 pages and no AppCallback)");
  if (!web && a["dapr.io/app-protocol"] !== "grpc") fail("dapr", where, "dapr.io/app-protocol must be grpc (the services serve Dapr's AppCallback on their gRPC port)");
  if (!configurations.some((c) => c.metadata.name === a["dapr.io/config"])) fail("dapr", where, `dapr.io/config names ${a["dapr.io/config"] ?? "nothing"}, which is no Configuration of the overlay`);
  for (const key of ["dapr.io/sidecar-cpu-request", "dapr.io/sidecar-memory-request", "dapr.io/sidecar-memory-limit"]) {
    if (!a[key]) fail("dapr", where, `the sidecar needs ${key}`);
  }
  for (const key of ["dapr.io/placement-host-address", "dapr.io/scheduler-host-address"]) {
    if (a[key] === undefined || a[key].trim() !== "") fail("dapr", where, `${key} must be " " (no actors, workflows or jobs: the sidecar connects to neither, and no policy lets it)`);
  }
  // Dapr's app API token: the sidecar sends the Secret's "token" with every call to the app, and the app (APP_API_TOKEN)
  // answers AppCallback only when it matches, so no other pod can deliver events or binding calls.
  const tokenSecret = a["dapr.io/app-token-secret"];
  const appToken = (container.env ?? []).find((e) => e.name === "APP_API_TOKEN");
  if (web) {
    // The web app takes no events or binding calls, and its access policy lets no app invoke it: no token to check.
    if (tokenSecret || appToken) fail("security", where, "the web app serves no AppCallback: an app API token would be a secret nobody checks");
  } else if (!tokenSecret) fail("security", where, "dapr.io/app-token-secret must name the Secret of Dapr's app API token (without it any caller that reaches the pod can deliver events)");
  else if (appToken?.valueFrom?.secretKeyRef?.name !== tokenSecret || appToken.valueFrom.secretKeyRef.key !== "token") {
    fail("security", where, `APP_API_TOKEN must come from Secret ${tokenSecret}, key token (the value its sidecar sends)`);
  }
  if (app && env.OTEL_SERVICE_NAME !== `watershed-${id}`) fail("dapr", where, `OTEL_SERVICE_NAME must be watershed-${id}`);

  // Probes: liveness asks nothing outside the process, readiness asks the database; both on the gRPC port. The web
  // app has no database: both ask its /healthz on its HTTP port.
  if (web) {
    for (const [kind, probe] of [["liveness", container.livenessProbe], ["readiness", container.readinessProbe]]) {
      if (probe?.httpGet?.path !== "/healthz" || containerPort(container, probe.httpGet.port) !== kestrelPort) fail("workload", where, `${kind} must ask GET /healthz on the HTTP port ${kestrelPort}`);
    }
  } else if (container.livenessProbe?.grpc?.service !== "liveness") fail("workload", where, "liveness must ask grpc.health.v1 service \"liveness\" (an outage of the database must not restart pods)");
  if (!web && container.readinessProbe?.grpc?.service !== "readiness") fail("workload", where, "readiness must ask grpc.health.v1 service \"readiness\"");
  for (const probe of [container.livenessProbe, container.readinessProbe]) {
    if (probe?.grpc && probe.grpc.port !== kestrelPort) fail("ports", where, `a probe asks port ${probe.grpc.port}, not the gRPC port ${kestrelPort}`);
  }
  // Shutdown: the app's pause and drain, then the sidecar's block and its own stop, all within the grace period.
  const preStop = container.lifecycle?.preStop?.sleep?.seconds;
  const drain = project.facts.shutdownDrainSeconds ?? 20;
  const grace = pod.terminationGracePeriodSeconds ?? 30;
  if (!preStop) fail("workload", where, "needs a preStop pause so endpoints drop the pod before it stops taking calls");
  if (grace < (preStop ?? 0) + drain + 1) fail("workload", where, `terminationGracePeriodSeconds ${grace} must exceed the ${preStop ?? 0} s preStop pause plus the ${drain} s drain`);
  const block = goDurationSeconds(a["dapr.io/block-shutdown-duration"] ?? "0s") ?? 0;
  const sidecarStop = Number(a["dapr.io/graceful-shutdown-seconds"] ?? 5);
  if (block < (preStop ?? 0) + drain) fail("dapr", where, `dapr.io/block-shutdown-duration must keep the sidecar until the app has drained (${(preStop ?? 0) + drain} s): calls in flight still go through it`);
  if (block + sidecarStop >= grace) fail("dapr", where, `the sidecar's block (${block} s) and stop (${sidecarStop} s) must end within the ${grace} s grace period`);

  // The Service in front of the API.
  const svc = services.find((s) => labelsMatch({ matchLabels: s.spec.selector }, d.spec.template.metadata.labels) && s.spec.selector);
  if (!svc) fail("ports", where, "no Service selects its pods");
  else for (const p of svc.spec.ports) {
    const target = containerPort(container, p.targetPort);
    if (target === undefined) fail("ports", `${where} Service ${svc.metadata.name}`, `targetPort ${p.targetPort} matches no container port`);
    else if (target !== kestrelPort) fail("ports", `${where} Service ${svc.metadata.name}`, `targetPort ${p.targetPort} is not the ${portName} port ${kestrelPort}`);
  }
}

/**
 * The web app's own needs as a set of replicas behind the gateway: the key ring every replica reads (a Secret mounted
 * read-only where Web__DataProtection__KeyRingPath points), the forwarded scheme, the sign-in client's secret from a
 * Secret, and an https authority.
 */
function checkWebPod(d, container, env, where, fail) {
  const path = env.Web__DataProtection__KeyRingPath;
  if (!path) fail("web", where, "Web__DataProtection__KeyRingPath must name the key ring's mount: without one shared ring each replica signs its own cookies and sign-ins fail across replicas");
  else {
    const mount = (container.volumeMounts ?? []).find((m) => m.mountPath === path);
    const volume = mount && (d.spec.template.spec.volumes ?? []).find((v) => v.name === mount.name);
    if (!volume?.secret?.secretName) fail("web", where, `${path} must be a Secret's volume (the key ring created out of band, README)`);
    else if (mount.readOnly !== true) fail("web", where, `the key ring at ${path} must be mounted read-only: replicas never write keys`);
  }
  if (String(env.Web__BehindProxy).toLowerCase() !== "true") fail("web", where, "Web__BehindProxy must be true: the gateway terminates TLS, and sign-in must send people back to https");
  if (!/^https:\/\//.test(env.Web__Oidc__Authority ?? "")) fail("web", where, "Web__Oidc__Authority must be the https address of the OpenID provider");
  if (env.Web__Oidc__RequireHttpsMetadata !== undefined && String(env.Web__Oidc__RequireHttpsMetadata).toLowerCase() !== "true") fail("web", where, "Web__Oidc__RequireHttpsMetadata must not be turned off in a cluster");
  const secret = (container.env ?? []).find((e) => e.name === "Web__Oidc__ClientSecret");
  if (!secret?.valueFrom?.secretKeyRef) fail("secrets", where, "Web__Oidc__ClientSecret must come from a Secret (created out of band), never a value in a manifest");
}

function checkAutoscaling(d, where, of, fail) {
  const hpa = of("HorizontalPodAutoscaler").find((h) => h.spec.scaleTargetRef?.kind === "Deployment" && h.spec.scaleTargetRef?.name === d.metadata.name);
  if (!hpa) fail("autoscaling", where, "needs a HorizontalPodAutoscaler");
  else {
    if (d.spec.replicas !== undefined) fail("autoscaling", where, "must not set spec.replicas: its HorizontalPodAutoscaler owns the count (an apply would reset it)");
    const min = hpa.spec.minReplicas ?? 1;
    if (min < 1 || min > hpa.spec.maxReplicas) fail("autoscaling", `${where} HPA`, `minReplicas ${min} must be between 1 and maxReplicas ${hpa.spec.maxReplicas}`);
    for (const m of hpa.spec.metrics ?? []) {
      if (m.type === "ContainerResource") {
        const c = d.spec.template.spec.containers.find((x) => x.name === m.containerResource.container);
        if (!c) fail("autoscaling", `${where} HPA`, `scales on container ${m.containerResource.container}, which the pod does not have`);
        else if (!c.resources?.requests?.[m.containerResource.name]) fail("autoscaling", `${where} HPA`, `container ${c.name} has no ${m.containerResource.name} request to scale against`);
      }
    }
    if (!(hpa.spec.metrics ?? []).length) fail("autoscaling", `${where} HPA`, "scales on no metric");
  }
  const pdb = of("PodDisruptionBudget").find((p) => labelsMatch(p.spec.selector, d.spec.template.metadata.labels));
  if (!pdb) fail("autoscaling", where, "needs a PodDisruptionBudget");
  else if (pdb.spec.minAvailable !== undefined && hpa && !(Number(pdb.spec.minAvailable) < (hpa.spec.minReplicas ?? 1))) {
    fail("autoscaling", `${where} PDB`, "minAvailable leaves no pod to disrupt at the autoscaler's minimum: node drains would block");
  }
}

function checkDatabase(d, container, env, where, objects, fail, overlay) {
  const clusters = objects.filter((o) => o.kind === "Cluster" && o.apiVersion.startsWith("postgresql.cnpg.io/"));
  if (env.Database__Provider !== "Postgres") fail("database", where, "Database__Provider must be Postgres");
  const secretRefs = (container.env ?? []).map((e) => e.valueFrom?.secretKeyRef?.name).filter(Boolean);
  const dbSecrets = [...new Set(secretRefs.filter((n) => n.endsWith("-app")))];
  const connection = (container.env ?? []).find((e) => e.name === "Database__ConnectionString");
  if (!connection) { fail("database", where, "no Database__ConnectionString"); return; }
  if (dbSecrets.length !== 1) { fail("database", where, "its connection string must come from one CloudNativePG application Secret (<cluster>-app)"); return; }
  const cluster = clusters.find((c) => `${c.metadata.name}-app` === dbSecrets[0]);
  if (!cluster) { fail("database", where, `${dbSecrets[0]} is the Secret of no CloudNativePG Cluster in ${overlay}`); return; }
  const text = connection.value ?? "";
  for (const variable of text.matchAll(/\$\((\w+)\)/g)) {
    const index = (container.env ?? []).findIndex((e) => e.name === variable[1]);
    if (index < 0 || index > container.env.indexOf(connection)) fail("database", where, `the connection string uses $(${variable[1]}), which is not defined before it`);
  }
  if (!/SSL Mode=VerifyFull/i.test(text)) fail("database", where, "the connection string must verify the server (SSL Mode=VerifyFull)");
  const ca = (d.spec.template.spec.volumes ?? []).find((v) => v.secret?.secretName === `${cluster.metadata.name}-ca`);
  if (!ca) fail("database", where, `the cluster's CA (${cluster.metadata.name}-ca) must be mounted to verify the server`);
  else if (!(ca.secret.items ?? []).every((i) => i.key === "ca.crt") || !(ca.secret.items ?? []).length) fail("database", where, `mount only ca.crt of ${cluster.metadata.name}-ca (the Secret also holds the CA's private key)`);
}

function checkClients(env, app, where, project, fail) {
  for (const key of Object.keys(env)) {
    if (/^Services__\w+__Address$/.test(key)) fail("access", where, `${key}: in the cluster another service is called through Dapr (Services__<name>__DaprAppId), never over cleartext h2c with a bearer token`);
  }
  if (!app) return;
  for (const client of app.clients) {
    const callee = env[`Services__${client.section}__DaprAppId`];
    if (!callee) { fail("access", where, `its client of ${client.section} needs Services__${client.section}__DaprAppId`); continue; }
    if (!project.apps.has(callee)) { fail("app-ids", where, `Services__${client.section}__DaprAppId names ${callee}, which is no service's app id`); continue; }
  }
}

function checkComponents(components, project, appIds, overlay, fail, envOf, apiDeployments, idOf) {
  const eventApps = project.eventApps;
  for (const c of components) {
    const where = `${overlay}/Component/${c.metadata.name}`;
    for (const scope of c.scopes ?? []) if (!appIds.has(scope)) fail("app-ids", where, `scope ${scope} is no service's app id`);
    if (!(c.scopes ?? []).length) fail("scopes", where, "must be scoped to the apps that use it");
    for (const m of c.spec.metadata ?? []) {
      if (CREDENTIAL.test(m.name) && m.value !== undefined && m.value !== "") fail("secrets", where, `${m.name} must come from a secret store (secretKeyRef), not a value`);
    }
    if ((c.spec.metadata ?? []).some((m) => m.secretKeyRef) && c.auth?.secretStore && c.auth.secretStore !== "kubernetes") {
      if (!components.some((s) => s.metadata.name === c.auth.secretStore && s.spec.type.startsWith("secretstores."))) fail("secrets", where, `secret store ${c.auth.secretStore} is not defined`);
    }
  }
  // Bindings: the names notifications sends through, of the right types, for notifications only.
  const bindingUsers = apiDeployments.filter((d) => project.apps.get(idOf(d))?.settings?.Notifications);
  for (const [key, type] of [["sms", "bindings.twilio.sms"], ["email", "bindings.smtp"]]) {
    for (const d of bindingUsers) {
      const cm = envOf(d);
      const nameInConfig = cm[`Notifications__${key === "sms" ? "SmsBinding" : "EmailBinding"}`] ?? project.bindings?.[key];
      const component = components.find((c) => c.metadata.name === nameInConfig);
      if (!component) { fail("dapr", `${overlay}/${d.metadata.name}`, `sends ${key} through the binding "${nameInConfig}", which no Component defines`); continue; }
      if (component.spec.type !== type) fail("dapr", `${overlay}/Component/${component.metadata.name}`, `must be ${type}`);
      const scopes = new Set(component.scopes ?? []);
      const diff = setDiff(scopes, new Set(bindingUsers.map(idOf)));
      if (!diff.same) fail("scopes", `${overlay}/Component/${component.metadata.name}`, `scopes must be exactly the apps that send through it: ${describeDiff(diff)}`);
    }
  }

  // Pub/sub: the component the code publishes to, with topic scoping exactly as the code publishes and subscribes.
  const pubsubNames = new Set(apiDeployments.filter((d) => eventApps.has(idOf(d))).map((d) => envOf(d).Events__PubsubName ?? project.facts.pubsubName));
  for (const pubsubName of pubsubNames) {
    const where = `${overlay}/Component/${pubsubName}`;
    const pubsub = components.find((c) => c.metadata.name === pubsubName);
    if (!pubsub) { fail("dapr", `${overlay}`, `the services publish through "${pubsubName}", which no Component defines`); continue; }
    if (!pubsub.spec.type.startsWith("pubsub.")) fail("dapr", where, "must be a pubsub component");
    const scoped = setDiff(new Set(pubsub.scopes ?? []), eventApps);
    if (!scoped.same) fail("scopes", where, `scopes must be every service that publishes or subscribes (not the web app): ${describeDiff(scoped)}`);
    const meta = componentMetadata(pubsub);
    const expectedPublish = new Map([...eventApps].map((id) => [id, new Set([...project.published].filter(([, p]) => p === id).map(([t]) => t).concat(deadLetterTopic(id)))]));
    const expectedSubscribe = new Map([...eventApps].map((id) => [id, new Set([...project.apps.get(id).subscriptions.keys(), deadLetterTopic(id)])]));
    const allTopics = new Set([...project.published.keys(), ...[...eventApps].map(deadLetterTopic)]);
    for (const [key, expected, verb] of [["publishingScopes", expectedPublish, "publishes"], ["subscriptionScopes", expectedSubscribe, "subscribes to"]]) {
      const scopes = parseScopes(meta.get(key)?.value);
      if (!meta.has(key)) { fail("scopes", where, `no ${key}: every app could ${verb === "publishes" ? "publish to" : "subscribe to"} every topic`); continue; }
      for (const app of scopes.keys()) if (!appIds.has(app)) fail("app-ids", where, `${key} names ${app}, which is no service's app id`);
      for (const [app, topics] of expected) {
        const diff = setDiff(scopes.get(app) ?? new Set(), topics);
        if (!diff.same) fail("scopes", where, `${key} of ${app} must be what the code ${verb} (and its dead-letter topic): ${describeDiff(diff)}`);
      }
    }
    for (const key of ["allowedTopics", "protectedTopics"]) {
      const diff = setDiff(parseTopicList(meta.get(key)?.value), allTopics);
      if (!diff.same) fail("scopes", where, `${key} must name every Watershed topic (so no unlisted app may use any): ${describeDiff(diff)}`);
    }
  }
}

function checkConfigurations(configurations, apiDeployments, idOf, services, ns, overlay, fail, project, envOf) {
  // Who calls whom through Dapr, and which RPCs: from the callers' ConfigMaps and the clients' code.
  const calls = new Map(); // callee -> Map(caller -> Set("/pkg.Service/Method"))
  for (const d of apiDeployments) {
    const cm = envOf(d);
    for (const client of project.apps.get(idOf(d))?.clients ?? []) {
      const callee = cm[`Services__${client.section}__DaprAppId`];
      if (!callee) continue;
      if (!calls.has(callee)) calls.set(callee, new Map());
      const ops = calls.get(callee).get(idOf(d)) ?? new Set();
      for (const m of client.methods) ops.add(`/${client.service}/${m}`);
      calls.get(callee).set(idOf(d), ops);
    }
  }
  const rpcs = new Set([...project.protos.services.values()].flatMap((s) => [...s.methods].map((m) => `/${s.pkg}.${s.name}/${m}`)));
  for (const d of apiDeployments) {
    const config = configurations.find((c) => c.metadata.name === d.spec.template.metadata.annotations["dapr.io/config"]);
    if (!config?.spec?.accessControl) continue;
    const where = `${overlay}/Configuration/${config.metadata.name}`;
    const expected = calls.get(idOf(d)) ?? new Map();
    const policies = config.spec.accessControl.policies ?? [];
    const callers = setDiff(new Set(policies.map((p) => p.appId)), new Set(expected.keys()));
    if (!callers.same) fail("access", where, `the apps allowed to invoke ${idOf(d)} must be exactly its callers in the code: ${describeDiff(callers)}`);
    for (const policy of policies) {
      const allowed = new Set((policy.operations ?? []).filter((o) => o.action === "allow").map((o) => o.name));
      for (const op of allowed) if (!rpcs.has(op)) fail("access", where, `the policy for ${policy.appId} allows ${op}, which is no RPC of the protos`);
      const ops = setDiff(allowed, expected.get(policy.appId) ?? new Set());
      if (!ops.same) fail("access", where, `the policy for ${policy.appId} must allow exactly the RPCs its client calls: ${describeDiff(ops)}`);
    }
  }
  for (const d of apiDeployments) {
    const id = idOf(d);
    const config = configurations.find((c) => c.metadata.name === d.spec.template.metadata.annotations["dapr.io/config"]);
    if (!config) continue;
    const where = `${overlay}/Configuration/${config.metadata.name}`;
    const otel = config.spec?.tracing?.otel;
    if (!otel) fail("tracing", where, "must send the sidecar's spans to the collector (tracing.otel)");
    else {
      const [host, port] = otel.endpointAddress.split(":");
      const svc = services.find((s) => s.metadata.name === host.split(".")[0]);
      if (!svc || !svc.spec.ports.some((p) => p.port === Number(port))) fail("tracing", where, `tracing endpoint ${otel.endpointAddress} is no Service port of the overlay`);
      if (otel.protocol !== "grpc") fail("tracing", where, "the collector takes OTLP over gRPC");
    }
    if (!(Number(config.spec?.tracing?.samplingRate) > 0)) fail("tracing", where, "samplingRate must be above 0");
    const acl = config.spec?.accessControl;
    if (!acl || acl.defaultAction !== "deny") { fail("access", where, `service invocation into ${id} must be denied by default (accessControl.defaultAction: deny)`); continue; }
    for (const policy of acl.policies ?? []) {
      if (!apiDeployments.some((x) => idOf(x) === policy.appId)) fail("app-ids", where, `an access policy names ${policy.appId}, which is no service's app id`);
      if (policy.namespace !== ns) fail("access", where, `the policy for ${policy.appId} names namespace ${policy.namespace}, not the overlay's ${ns}`);
      if ((policy.trustDomain ?? "public") !== (acl.trustDomain ?? "public")) fail("access", where, `the policy for ${policy.appId} has another trust domain`);
      if (policy.defaultAction !== "deny") fail("access", where, `the policy for ${policy.appId} must deny what its operations do not allow`);
    }
  }
}

function checkResiliency(objects, components, project, apiDeployments, idOf, envOf, overlay, fail) {
  const all = objects.filter((o) => o.kind === "Resiliency");
  if (all.length !== 1) { fail("resiliency", overlay, "exactly one Resiliency spec is expected (retries must be decided in one place)"); return; }
  const r = all[0];
  const where = `${overlay}/Resiliency/${r.metadata.name}`;
  const ids = new Set(apiDeployments.map(idOf));
  if (r.scopes) {
    for (const s of r.scopes) if (!ids.has(s)) fail("app-ids", where, `scope ${s} is no service's app id`);
    const diff = setDiff(new Set(r.scopes), ids);
    if (!diff.same) fail("resiliency", where, `must apply to every service: ${describeDiff(diff)}`);
  }
  const policies = r.spec.policies ?? {};
  for (const kind of ["timeouts", "retries", "circuitBreakers"]) {
    for (const n of Object.keys(policies[kind] ?? {})) if (/^Default/.test(n) || /^DaprBuiltIn/.test(n)) fail("resiliency", where, `policy ${n} would apply to every target (or override Dapr's built-in retries); name targets explicitly`);
  }
  const timeout = (n) => (n ? goDurationSeconds(policies.timeouts?.[n]) : undefined);
  const retry = (n) => (n ? policies.retries?.[n] : undefined);
  for (const [app, target] of Object.entries(r.spec.targets?.apps ?? {})) {
    if (!ids.has(app)) fail("app-ids", where, `targets.apps.${app} is no service's app id`);
    if (target.retry) fail("resiliency", where, `targets.apps.${app} must not retry: the caller's gRPC channel retries UNAVAILABLE already (Services:<name>:MaxAttempts)`);
    if (target.circuitBreaker) fail("resiliency", where, `targets.apps.${app} must not add a breaker: the caller's client has one`);
    const t = timeout(target.timeout);
    for (const d of apiDeployments) {
      for (const client of project.apps.get(idOf(d))?.clients ?? []) {
        const cm = envOf(d);
        if (cm[`Services__${client.section}__DaprAppId`] !== app) continue;
        const deadline = timeSpanSeconds(cm[`Services__${client.section}__Deadline`] ?? "") ?? project.facts.clientDeadlineSeconds;
        if (t !== undefined && deadline !== undefined && t < deadline) fail("resiliency", where, `targets.apps.${app} times out after ${t} s, before ${idOf(d)}'s ${deadline} s deadline: the caller's deadline must decide`);
      }
    }
  }
  const targets = r.spec.targets?.components ?? {};
  for (const name of Object.keys(targets)) if (!components.some((c) => c.metadata.name === name)) fail("resiliency", where, `targets.components.${name} is no Component`);
  for (const c of components) {
    const target = targets[c.metadata.name];
    if (c.spec.type.startsWith("pubsub.")) {
      if (!target) { fail("resiliency", where, `no policy for ${c.metadata.name}: deliveries would not be retried before the dead-letter topic`); continue; }
      if (target.outbound?.retry) fail("resiliency", where, `${c.metadata.name} outbound must not retry: the outbox relay retries publishes`);
      const publish = timeout(target.outbound?.timeout);
      if (publish === undefined || (project.facts.relayTimeoutSeconds !== undefined && publish >= project.facts.relayTimeoutSeconds)) {
        fail("resiliency", where, `${c.metadata.name} outbound needs a timeout under the relay's ${project.facts.relayTimeoutSeconds} s, so the sidecar answers before the relay gives up`);
      }
      const policy = retry(target.inbound?.retry);
      const perAttempt = timeout(target.inbound?.timeout);
      if (!policy) { fail("resiliency", where, `${c.metadata.name} inbound needs a retry policy (bounded retries, then the dead-letter topic)`); continue; }
      if (!(Number.isInteger(policy.maxRetries) && policy.maxRetries >= 0)) { fail("resiliency", where, `${c.metadata.name} inbound retries must be bounded (maxRetries), then the event goes to the dead-letter topic`); continue; }
      if (perAttempt === undefined) { fail("resiliency", where, `${c.metadata.name} inbound needs a timeout per delivery`); continue; }
      const worst = worstDelivery(policy, perAttempt);
      if (c.spec.type === "pubsub.redis") {
        const processing = goDurationSeconds(componentMetadata(c).get("processingTimeout")?.value ?? "15s");
        if (!(processing > worst)) fail("resiliency", `${overlay}/Component/${c.metadata.name}`, `processingTimeout (${processing} s) must exceed the longest delivery the Resiliency spec allows (${Math.ceil(worst)} s), or Redis redelivers an event the sidecar is still retrying`);
        const retries = componentMetadata(c).get("redisMaxRetries")?.value;
        if (retries !== undefined && Number(retries) > 0) fail("resiliency", `${overlay}/Component/${c.metadata.name}`, "redisMaxRetries must be 0: the relay retries publishes");
      }
      if (c.spec.type === "pubsub.kafka") {
        const meta = componentMetadata(c);
        if (meta.get("consumeRetryEnabled")?.value !== "true") fail("resiliency", `${overlay}/Component/${c.metadata.name}`, "consumeRetryEnabled must be \"true\": otherwise an event whose dead-letter publish failed is skipped");
        if (Number(meta.get("producerRetryMax")?.value ?? 5) > 0) fail("resiliency", `${overlay}/Component/${c.metadata.name}`, "producerRetryMax must be 0: the relay retries publishes");
      }
    }
    if (c.spec.type.startsWith("bindings.")) {
      if (!target) { fail("resiliency", where, `no policy for ${c.metadata.name}: a send could hang until the app gives up without an answer`); continue; }
      if (target.outbound?.retry) fail("resiliency", where, `${c.metadata.name} outbound must not retry: a retried send can send a message twice (the delivery log retries)`);
      const t = timeout(target.outbound?.timeout);
      const appTimeout = project.facts.bindingTimeoutSeconds;
      if (t === undefined || (appTimeout !== undefined && t >= appTimeout)) fail("resiliency", where, `${c.metadata.name} outbound needs a timeout under notifications' ${appTimeout} s (Notifications:BindingTimeout), so the sidecar answers first`);
    }
  }
}

/** The longest a delivery can take under a retry policy: every attempt timing out, with the largest backoffs. */
export function worstDelivery(policy, perAttempt) {
  const retries = policy.maxRetries;
  let backoff = 0;
  if (policy.policy === "constant") backoff = retries * (goDurationSeconds(policy.duration ?? "5s") ?? 5);
  else {
    const max = goDurationSeconds(policy.maxInterval ?? "60s") ?? 60;
    for (let k = 0; k < retries; k++) backoff += Math.min(0.5 * 1.5 ** k, max) * 1.5; // Dapr: 500 ms, x1.5, +-50 %
  }
  return (retries + 1) * perAttempt + backoff;
}

function checkImages(objects, overlay, fail, release) {
  const images = [];
  for (const o of objects) {
    for (const c of [...(o.spec?.template?.spec?.initContainers ?? []), ...(o.spec?.template?.spec?.containers ?? [])]) images.push([`${overlay}/${o.kind}/${o.metadata.name} container ${c.name}`, c.image]);
    if (o.kind === "Cluster" && o.spec?.imageName) images.push([`${overlay}/Cluster/${o.metadata.name}`, o.spec.imageName]);
  }
  for (const [where, image] of images) {
    if (overlay === "production" && !DIGEST.test(image)) fail("images", where, `production images are pinned by digest (<image>@sha256:<64 hex>), not ${image}`);
    if (release && PLACEHOLDER_DIGEST.test(image)) fail("images", where, `${image} is the placeholder digest: set the released image's digest (kustomize edit set image)`);
  }
}

function checkNetwork(overlay, ns, project, apiDeployments, idOf, envOf, components, fail, release) {
  const { name, objects } = overlay;
  const policies = objects.filter((o) => o.kind === "NetworkPolicy");
  const pods = namespacePods(objects);
  const podOf = (labelsOrName) => pods.find((p) => p.name === labelsOrName);
  const denyAll = policies.find((p) => Object.keys(p.spec.podSelector ?? {}).length === 0 && ["Ingress", "Egress"].every((t) => (p.spec.policyTypes ?? []).includes(t)) && !p.spec.ingress && !p.spec.egress);
  if (!denyAll) fail("network", name, "needs a default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)");
  for (const p of policies) {
    for (const rule of [...(p.spec.ingress ?? []), ...(p.spec.egress ?? [])]) {
      for (const peer of [...(rule.from ?? []), ...(rule.to ?? [])]) {
        if (release && peer.ipBlock && DOCUMENTATION_NETS.some((n) => n.test(peer.ipBlock.cidr))) fail("network", `${name}/NetworkPolicy/${p.metadata.name}`, `${peer.ipBlock.cidr} is a documentation address: set this cluster's`);
      }
    }
  }

  const flows = [];
  const need = (from, to, port, why, protocol = "TCP") => flows.push({ from, to, port, protocol, why });
  const servicePods = (host) => {
    const svc = objects.find((o) => o.kind === "Service" && o.metadata.name === host);
    if (!svc) return [];
    return pods.filter((p) => labelsMatch({ matchLabels: svc.spec.selector }, p.labels)).map((p) => ({ pod: p, svc }));
  };
  const resolve = (host, port, where, why) => {
    // A Service of the namespace (short name, or <name>.<ns>[.svc...]) -> its pods and target port; another
    // namespace's Service -> ns:<namespace>; anything else is outside the cluster.
    const parts = host.split(".");
    const inCluster = parts.length <= 2 || parts[2] === "svc";
    if (inCluster && (parts.length === 1 || parts[1] === ns)) {
      const found = servicePods(parts[0]);
      if (found.length === 0) { fail("network", where, `${why}: ${host} is no Service of the namespace with pods`); return []; }
      return found.map(({ pod, svc }) => {
        const sp = svc.spec.ports.find((p) => p.port === port);
        const c = pod.workload.spec.template.spec.containers.find((x) => containerPort(x, sp?.targetPort) !== undefined);
        return { to: pod.id, port: sp ? containerPort(c, sp.targetPort) : port };
      });
    }
    if (inCluster) return [{ to: `ns:${parts[1]}`, port }];
    return [{ to: "internet", port }];
  };

  for (const p of pods) {
    need(p.id, PLATFORM.dns, 53, "DNS", "UDP");
    need(p.id, PLATFORM.dns, 53, "DNS", "TCP");
  }
  const pubsubName = project.facts.pubsubName;
  for (const d of apiDeployments) {
    const pod = podOf(d.metadata.name);
    const id = idOf(d);
    const cm = envOf(d);
    const appPort = Number(d.spec.template.metadata.annotations["dapr.io/app-port"]);
    need(PLATFORM.gateway, pod.id, appPort, project.apps.get(id)?.kind === "web" ? "the web app's pages through the gateway" : "the public gRPC API through the gateway");
    need(pod.id, PLATFORM.daprSentry.peer, PLATFORM.daprSentry.port, PLATFORM.daprSentry.why);
    need(pod.id, PLATFORM.daprOperator.peer, PLATFORM.daprOperator.port, PLATFORM.daprOperator.why);
    // OTLP from the app, spans from the sidecar.
    if (cm.OTEL_EXPORTER_OTLP_ENDPOINT) {
      const url = new URL(cm.OTEL_EXPORTER_OTLP_ENDPOINT);
      for (const r of resolve(url.hostname, Number(url.port), `${name}/${d.metadata.name}`, "OTLP")) need(pod.id, r.to, r.port, "OTLP from the service");
    }
    const config = objects.find((o) => o.kind === "Configuration" && o.metadata.name === d.spec.template.metadata.annotations["dapr.io/config"]);
    const endpoint = config?.spec?.tracing?.otel?.endpointAddress;
    if (endpoint) {
      const [host, port] = endpoint.split(":");
      for (const r of resolve(host, Number(port), `${name}/Configuration/${config.metadata.name}`, "sidecar spans")) need(pod.id, r.to, r.port, "the sidecar's spans");
    }
    // The OIDC authority (token keys; client credentials).
    const authority = cm.Auth__Authority ?? cm.Web__Oidc__Authority;
    if (authority) {
      const url = new URL(authority);
      for (const r of resolve(url.hostname, Number(url.port || 443), `${name}/${d.metadata.name}`, "the OIDC authority")) need(pod.id, r.to, r.port, "the OIDC authority");
    }
    // Service invocation through the sidecars.
    for (const [key, value] of Object.entries(cm)) {
      const m = /^Services__(\w+)__DaprAppId$/.exec(key);
      if (!m) continue;
      const callee = apiDeployments.find((x) => idOf(x) === value);
      if (callee) need(pod.id, podOf(callee.metadata.name).id, PLATFORM.daprInternalPort, `service invocation ${id} -> ${value} (sidecar to sidecar, mTLS)`);
    }
    // The service's database.
    const secret = (d.spec.template.spec.containers[0].env ?? []).map((e) => e.valueFrom?.secretKeyRef?.name).find((n) => n?.endsWith("-app"));
    const cluster = secret && podOf(secret.slice(0, -4));
    if (cluster) need(pod.id, cluster.id, PLATFORM.postgresPort, `${id}'s database`);
    // The broker, for every app the pub/sub component is scoped to.
    const pubsub = components.find((c) => c.metadata.name === (cm.Events__PubsubName ?? pubsubName));
    if (pubsub && (pubsub.scopes ?? [id]).includes(id)) {
      const meta = componentMetadata(pubsub);
      const hosts = pubsub.spec.type === "pubsub.redis" ? [meta.get("redisHost")?.value] : pubsub.spec.type === "pubsub.kafka" ? (meta.get("brokers")?.value ?? "").split(",") : [];
      for (const h of hosts.filter(Boolean)) {
        const [host, port] = h.trim().split(":");
        for (const r of resolve(host, Number(port), `${name}/Component/${pubsub.metadata.name}`, "the broker")) need(pod.id, r.to, r.port, "the pub/sub broker");
      }
    }
    // Bindings this app is scoped to: Twilio's API (HTTPS) and the SMTP relay.
    for (const c of components.filter((x) => x.spec.type.startsWith("bindings.") && (x.scopes ?? []).includes(id))) {
      const meta = componentMetadata(c);
      if (c.spec.type === "bindings.twilio.sms") need(pod.id, "internet", 443, "Twilio's API (sms binding)");
      if (c.spec.type === "bindings.smtp") {
        const hostEntry = meta.get("host");
        const port = Number(meta.get("port")?.value ?? 25);
        if (hostEntry?.value) for (const r of resolve(hostEntry.value, port, `${name}/Component/${c.metadata.name}`, "SMTP")) need(pod.id, r.to, r.port, "the SMTP relay (email binding)");
        else need(pod.id, "internet", port, "the SMTP relay outside the cluster (email binding)");
      }
    }
    // Webhooks: notifications posts to the watchers' https URLs.
    if (project.apps.get(id)?.settings?.Notifications) need(pod.id, "internet", 443, "watchers' webhooks (https)");
  }
  // The collector's export, from its own configuration.
  const collector = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === "otel-collector");
  const collectorPod = podOf("otel-collector");
  if (collector && collectorPod) {
    const config = yaml.load(collector.data?.["config.yaml"] ?? "") ?? {};
    const used = new Set(Object.values(config.service?.pipelines ?? {}).flatMap((p) => p.exporters ?? []));
    for (const exporter of used) {
      const endpoint = config.exporters?.[exporter]?.endpoint;
      if (!endpoint) continue;
      const [host, port] = endpoint.replace(/^\w+:\/\//, "").split(":");
      for (const r of resolve(host, Number(port), `${name}/ConfigMap/otel-collector`, "the collector's export")) need(collectorPod.id, r.to, r.port, "the collector's export to the telemetry backend");
    }
  }
  // CloudNativePG: replication among a cluster's instances, the operator's status calls, the instance managers' API.
  for (const c of pods.filter((p) => p.workload.kind === "Cluster")) {
    need(c.id, c.id, PLATFORM.postgresPort, "replication between the cluster's instances");
    need(PLATFORM.cnpgOperator.peer, c.id, PLATFORM.cnpgOperator.port, PLATFORM.cnpgOperator.why);
    for (const port of PLATFORM.apiServerPorts) need(c.id, "apiserver", port, "the instance manager watches its Cluster through the Kubernetes API");
  }
  // Flows resolved twice (the app's OTLP and the sidecar's spans) are one flow.
  const unique = [...new Map(flows.map((f) => [`${f.from} -> ${f.to} ${f.port}/${f.protocol}`, f])).values()];
  compareFlows(unique, grants(policies, pods, ns, fail, name), name, fail);
}

// ---------------------------------------------------------------------------------------------------------------

/** The production broker: the topics the code uses and no other, the user the sidecars log in as, the listener they reach. */
function checkKafka(kafkaRoot, production, project, fail) {
  const objects = kafkaRoot.objects;
  const at = (o) => `kafka/${o.kind}/${o.metadata.name}`;
  const pubsub = production.objects.find((o) => o.kind === "Component" && o.spec?.type === "pubsub.kafka");
  if (!pubsub) { fail("kafka", "production", "the production overlay's pub/sub component is not Kafka, yet deploy/k8s/kafka defines the cluster"); return; }
  const meta = componentMetadata(pubsub);
  const kafka = objects.filter((o) => o.kind === "Kafka");
  if (kafka.length !== 1) { fail("kafka", "kafka", "exactly one Kafka cluster is expected"); return; }
  const cluster = kafka[0];
  const ns = cluster.metadata.namespace;
  const [bootstrap] = (meta.get("brokers")?.value ?? "").split(",");
  const [host, port] = bootstrap.split(":");
  if (host.split(".")[0] !== `${cluster.metadata.name}-kafka-bootstrap` || host.split(".")[1] !== ns) fail("kafka", `production/Component/${pubsub.metadata.name}`, `brokers ${bootstrap} is not ${cluster.metadata.name}-kafka-bootstrap.${ns}.svc`);
  const listener = (cluster.spec.kafka.listeners ?? []).find((l) => l.port === Number(port));
  if (!listener) fail("kafka", at(cluster), `no listener on port ${port}, where the sidecars connect`);
  else {
    if (listener.tls !== true) fail("kafka", at(cluster), `listener ${listener.name} must use TLS`);
    if (listener.authentication?.type !== "scram-sha-512" || meta.get("saslMechanism")?.value !== "SHA-512") fail("kafka", at(cluster), `listener ${listener.name} and the pub/sub component must agree on SCRAM-SHA-512`);
    const peers = (listener.networkPolicyPeers ?? []).map((p) => p.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"]);
    if (!peers.includes(production.objects.find((o) => o.kind === "Namespace")?.metadata.name)) fail("kafka", at(cluster), `listener ${listener.name} must let the production namespace in (networkPolicyPeers)`);
  }
  for (const l of cluster.spec.kafka.listeners ?? []) if (l.tls !== true) fail("kafka", at(cluster), `listener ${l.name} is not TLS: events and credentials would cross the network in cleartext`);
  const config = cluster.spec.kafka.config ?? {};
  if (String(config["auto.create.topics.enable"]) !== "false") fail("kafka", at(cluster), "auto.create.topics.enable must be false: topics exist only as declared");
  if (!(Number(config["min.insync.replicas"]) >= 2)) fail("kafka", at(cluster), "min.insync.replicas must be at least 2");
  if (cluster.spec.kafka.authorization?.type !== "simple") fail("kafka", at(cluster), "authorization must be on (simple ACLs)");
  const pools = objects.filter((o) => o.kind === "KafkaNodePool" && o.metadata.labels?.["strimzi.io/cluster"] === cluster.metadata.name);
  const brokers = pools.filter((p) => p.spec.roles.includes("broker")).reduce((n, p) => n + p.spec.replicas, 0);
  if (brokers < 3) fail("kafka", at(cluster), `needs at least 3 brokers (has ${brokers})`);

  const appIds = [...project.eventApps];
  const expected = new Set([...project.published.keys(), ...appIds.map(deadLetterTopic)]);
  const topics = objects.filter((o) => o.kind === "KafkaTopic");
  const declared = new Set(topics.map((t) => t.spec.topicName ?? t.metadata.name));
  const diff = setDiff(declared, expected);
  if (!diff.same) fail("kafka", "kafka", `KafkaTopics must be exactly the code's topics and dead-letter topics: ${describeDiff(diff)}`);
  for (const t of topics) {
    if (t.metadata.labels?.["strimzi.io/cluster"] !== cluster.metadata.name) fail("kafka", at(t), `belongs to no cluster named ${cluster.metadata.name}`);
    if (!(t.spec.replicas >= 3)) fail("kafka", at(t), "needs 3 replicas");
  }
  const user = objects.find((o) => o.kind === "KafkaUser" && o.metadata.name === meta.get("saslUsername")?.value);
  if (!user) { fail("kafka", "kafka", `no KafkaUser ${meta.get("saslUsername")?.value} (the pub/sub component's saslUsername)`); return; }
  if (user.spec.authentication?.type !== "scram-sha-512") fail("kafka", at(user), "must authenticate with scram-sha-512");
  const acls = user.spec.authorization?.acls ?? [];
  const groupTemplate = meta.get("consumerGroup")?.value;
  if (groupTemplate !== "{appID}") fail("kafka", `production/Component/${pubsub.metadata.name}`, "consumerGroup must be \"{appID}\": each app reads its subscriptions as its own group");
  const groups = new Set(acls.filter((a) => a.resource.type === "group").map((a) => a.resource.name));
  const gdiff = setDiff(groups, new Set(appIds));
  if (!gdiff.same) fail("kafka", at(user), `consumer groups allowed must be the app ids: ${describeDiff(gdiff)}`);
  for (const topic of expected) {
    const allowed = acls.filter((a) => a.resource.type === "topic" && (a.resource.patternType === "prefix" ? topic.startsWith(a.resource.name) : topic === a.resource.name));
    const ops = new Set(allowed.flatMap((a) => a.operations));
    for (const op of ["Read", "Write", "Describe"]) if (!ops.has(op)) fail("kafka", at(user), `may not ${op} ${topic}`);
  }
}
