// What the code says the deployment must match: the services and their Dapr app ids, the topics each publishes
// (events protos) and subscribes to (AddServiceEvents(...).On<...>()), their clients of other services and the RPCs
// those clients call, their ports (appsettings.json), dapr.yaml, and the few timeouts the Dapr Resiliency spec must
// agree with. Everything is read from the repository's files; anything that cannot be read is a finding, so a
// refactoring that moves one of these facts makes the check fail instead of silently checking nothing.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";

const read = (path) => readFileSync(path, "utf8");

function walk(dir, keep) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === "bin" || entry.name === "obj" || entry.name === "node_modules") return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path, keep) : keep(path) ? [path] : [];
  });
}

/** Topic naming rule of EventTopics.For: watershed.<context>.v<n>.<EventName> -> <context>.<event_name>.v<n>. */
export function topicFor(pkg, message) {
  const [, context, version] = pkg.split(".");
  const snake = message.replace(/(?!^)([A-Z])/g, "_$1").toLowerCase();
  return `${context}.${snake}.${version}`;
}

export const deadLetterTopic = (appId) => `${appId}.dead_letter.v1`;

/** .NET TimeSpan text ("00:00:05", "1.00:00:00") in seconds; undefined when it is not one. */
export function timeSpanSeconds(text) {
  const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(String(text).trim());
  if (!m) return undefined;
  return (Number(m[1] ?? 0) * 86400) + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

function parseProtos(root, problems) {
  const files = walk(join(root, "protos"), (p) => p.endsWith(".proto"));
  const messages = []; // { pkg, name, csharpNamespace, file, topicComment }
  const services = new Map(); // "pkg.Service" -> { pkg, name, methods: Set }
  for (const file of files) {
    const text = read(file);
    const pkg = /^package\s+([\w.]+);/m.exec(text)?.[1];
    if (!pkg) continue;
    const csharpNamespace = /option\s+csharp_namespace\s*=\s*"([^"]+)"/.exec(text)?.[1];
    const lines = text.split("\n");
    let comment = [];
    let depth = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim();
      if (depth === 0 && line.startsWith("//")) { comment.push(line.slice(2).trim()); continue; }
      if (line === "") { comment = []; continue; }
      const message = depth === 0 ? /^message\s+(\w+)\s*\{/.exec(line) : null;
      if (message) {
        const topic = comment.map((c) => /^Topic\s+([\w.]+):/.exec(c)?.[1]).find(Boolean);
        messages.push({ pkg, name: message[1], csharpNamespace, file: file.slice(root.length + 1), topicComment: topic });
      }
      const service = depth === 0 ? /^service\s+(\w+)\s*\{/.exec(line) : null;
      if (service) {
        const methods = new Set();
        let j = i + 1;
        for (; j < lines.length && !/^\}/.test(lines[j]); j++) {
          const rpc = /^\s*rpc\s+(\w+)\s*\(/.exec(lines[j]);
          if (rpc) methods.add(rpc[1]);
        }
        services.set(`${pkg}.${service[1]}`, { pkg, name: service[1], methods });
        i = j;
        comment = [];
        continue;
      }
      depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
      comment = [];
    }
  }
  // An event is a message of an events.proto with a "Topic ..." comment; the comment must follow the naming rule.
  const events = [];
  for (const m of messages.filter((m) => m.file.endsWith("/events.proto"))) {
    if (!m.topicComment) continue;
    const expected = topicFor(m.pkg, m.name);
    if (m.topicComment !== expected) {
      problems.push(`${m.file}: ${m.name} says "Topic ${m.topicComment}" but the code publishes it on ${expected}`);
    }
    events.push({ ...m, topic: expected, context: m.pkg.split(".")[1] });
  }
  return { messages, services, events };
}

/** Resolves a C# type name as written in Program.cs (Alias.Type, Namespace.Type or Type) to an event message. */
function resolveEvent(typeName, programText, events, problems, where) {
  const parts = typeName.split(".");
  const simple = parts.pop();
  const candidates = events.filter((e) => e.name === simple);
  if (candidates.length === 1) return candidates[0];
  let namespace = parts.join(".");
  if (namespace) {
    const alias = new RegExp(`using\\s+${namespace.replace(/\./g, "\\.")}\\s*=\\s*([\\w.]+)\\s*;`).exec(programText);
    if (alias) namespace = alias[1];
    const found = candidates.find((e) => e.csharpNamespace === namespace);
    if (found) return found;
  } else {
    const imported = [...programText.matchAll(/^using\s+([\w.]+)\s*;/gm)].map((m) => m[1]);
    const found = candidates.filter((e) => imported.includes(e.csharpNamespace));
    if (found.length === 1) return found[0];
  }
  problems.push(`${where}: cannot tell which event ${typeName} is (${candidates.length} events of that name)`);
  return undefined;
}

function readServices(root, protos, problems) {
  const apps = new Map(); // appId -> { id, dir, subscriptions: Map topic->event, clients: [...] }
  const servicesDir = join(root, "services");
  for (const dir of existsSync(servicesDir) ? readdirSync(servicesDir) : []) {
    const program = join(servicesDir, dir, "Program.cs");
    if (!existsSync(program)) continue;
    const text = read(program);
    // A service registers its events under its app id; the web app (pages for people, no events, no database)
    // names its app id to AddWebApp.
    const events = /AddServiceEvents<\w+>\("([^"]+)"\)/.exec(text);
    const web = /AddWebApp\("([^"]+)"\)/.exec(text);
    if (!events && !web) continue;
    const where = `services/${dir}/Program.cs`;
    const app = { id: (events ?? web)[1], dir, kind: events ? "service" : "web", subscriptions: new Map(), clients: [] };
    for (const on of text.matchAll(/\.On<\s*([\w.]+)\s*,\s*[\w.]+\s*>\(\)/g)) {
      const event = resolveEvent(on[1], text, protos.events, problems, where);
      if (event) app.subscriptions.set(event.topic, event);
    }
    const sources = walk(join(servicesDir, dir), (p) => p.endsWith(".cs")).map(read).join("\n");
    // Clients are registered wherever the app's host is put together (Program.cs, or the web app's WebHosting.cs).
    for (const client of sources.matchAll(/AddServiceClient<\s*(\w+)\.(\w+)Client\s*>\(\s*"([^"]+)"/g)) {
      const [, serviceName, , section] = client;
      const matches = [...protos.services.values()].filter((s) => s.name === serviceName);
      if (matches.length !== 1) { problems.push(`${where}: cannot find the gRPC service ${serviceName} in protos/`); continue; }
      const service = matches[0];
      const used = [...service.methods].filter((m) => new RegExp(`\\.${m}Async\\(`).test(sources));
      app.clients.push({ section, service: `${service.pkg}.${service.name}`, methods: used.sort() });
    }
    if (apps.has(app.id)) problems.push(`${where}: app id ${app.id} is used by two services`);
    apps.set(app.id, app);
  }
  return apps;
}

function readAppSettings(root, app, problems) {
  const path = join(root, "services", app.dir, "appsettings.json");
  if (!existsSync(path)) { problems.push(`services/${app.dir}/appsettings.json is missing`); return {}; }
  const settings = JSON.parse(read(path));
  // A service serves gRPC (and Dapr's AppCallback) on its Grpc endpoint; the web app serves HTTP/1.1 pages on Http.
  const endpoint = app.kind === "web" ? "Http" : "Grpc";
  const url = settings?.Kestrel?.Endpoints?.[endpoint]?.Url;
  const port = url ? Number(new URL(url).port) : undefined;
  if (!port) problems.push(`services/${app.dir}/appsettings.json: Kestrel:Endpoints:${endpoint}:Url has no port`);
  return { settings, port, endpoint, protocol: app.kind === "web" ? "http" : "grpc" };
}

/** A number read from a C# source by a pattern; a finding when the pattern no longer matches. */
function fromCode(root, file, pattern, what, problems) {
  const path = join(root, file);
  const m = existsSync(path) ? pattern.exec(read(path)) : null;
  if (!m) { problems.push(`${file}: cannot read ${what} (the validator's pattern no longer matches the code)`); return undefined; }
  return Number(m[1]);
}

function readReadmeEvents(root, problems) {
  const path = join(root, "README.md");
  const rows = new Map(); // topic -> { subscribers: Set(appIdish words), external: bool }
  if (!existsSync(path)) { problems.push("README.md is missing"); return rows; }
  const text = read(path);
  const start = text.indexOf("\n## Events");
  if (start < 0) { problems.push("README.md has no \"## Events\" section with the topics table"); return rows; }
  const section = text.slice(start + 1, text.indexOf("\n## ", start + 1) >>> 0);
  for (const line of section.split("\n")) {
    if (!line.startsWith("| `")) continue;
    const cells = line.split("|").map((c) => c.trim());
    const topics = [...cells[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]).filter((t) => !t.includes("<"));
    for (const topic of topics) rows.set(topic, { text: cells[3] ?? "", external: /external/i.test(cells[3] ?? "") });
  }
  return rows;
}

export function readProject(root) {
  const problems = [];
  const protos = parseProtos(root, problems);
  const apps = readServices(root, protos, problems);
  for (const app of apps.values()) Object.assign(app, readAppSettings(root, app, problems));

  if (![...apps.values()].some((a) => a.kind === "service")) problems.push("services/*/Program.cs: no service registers its events (AddServiceEvents<...>(\"<app id>\"))");
  const published = new Map(); // topic -> publisher app id
  for (const event of protos.events) {
    if (apps.get(event.context)?.kind !== "service") problems.push(`${event.file}: events of "${event.context}" but no service has that app id`);
    published.set(event.topic, event.context);
  }
  for (const app of apps.values()) {
    for (const topic of app.subscriptions.keys()) {
      if (!published.has(topic)) problems.push(`services/${app.dir}/Program.cs: subscribes to ${topic}, which no events proto declares`);
    }
  }

  let daprYaml;
  const daprPath = join(root, "dapr.yaml");
  if (existsSync(daprPath)) daprYaml = yaml.load(read(daprPath));
  else problems.push("dapr.yaml is missing");

  const facts = {
    relayTimeoutSeconds: fromCode(root, "services/Watershed.ServiceDefaults/Events/OutboxRelay.cs", /\.AddTimeout\(TimeSpan\.FromSeconds\((\d+(?:\.\d+)?)\)\)/, "the relay's publish timeout", problems),
    clientDeadlineSeconds: fromCode(root, "services/Watershed.ServiceDefaults/Grpc/ServiceClients.cs", /TimeSpan Deadline \{ get; set; \} = TimeSpan\.FromSeconds\((\d+(?:\.\d+)?)\)/, "the service clients' default deadline", problems),
    shutdownDrainSeconds: fromCode(root, "services/Watershed.ServiceDefaults/ServiceDefaultsExtensions.cs", /ShutdownTimeout = TimeSpan\.FromSeconds\((\d+)\)/, "the host's shutdown drain", problems),
    bindingTimeoutSeconds: fromCode(root, "services/Notifications/NotificationOptions.cs", /TimeSpan BindingTimeout \{ get; set; \} = TimeSpan\.FromSeconds\((\d+)\)/, "notifications' binding timeout", problems),
    pubsubName: /public string PubsubName \{ get; set; \} = "([^"]+)"/.exec(existsSync(join(root, "services/Watershed.ServiceDefaults/Events/OutboxRelay.cs")) ? read(join(root, "services/Watershed.ServiceDefaults/Events/OutboxRelay.cs")) : "")?.[1],
  };
  if (!facts.pubsubName) problems.push("services/Watershed.ServiceDefaults/Events/OutboxRelay.cs: cannot read the default Events:PubsubName");

  const notifications = apps.get("notifications");
  const bindings = notifications?.settings?.Notifications
    ? { sms: notifications.settings.Notifications.SmsBinding, email: notifications.settings.Notifications.EmailBinding }
    : undefined;

  // The apps that publish and subscribe through the broker (every service; not the web app).
  const eventApps = new Set([...apps.values()].filter((a) => a.kind === "service").map((a) => a.id));
  return { root, problems, protos, apps, eventApps, published, readme: readReadmeEvents(root, problems), daprYaml, facts, bindings };
}

export function isDirectory(path) {
  return existsSync(path) && statSync(path).isDirectory();
}
