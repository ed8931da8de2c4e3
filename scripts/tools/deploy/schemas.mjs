// Schema validation of rendered objects: core Kubernetes kinds with kubernetes-models (types, required fields,
// formats), Dapr's kinds with the CRD schemas vendored in deploy/schemas/dapr (plus unknown fields, which the API
// server would refuse with kubectl's default strict field validation), and the operators' kinds whose CRDs are not
// available offline (CloudNativePG, Strimzi) by the fields this project relies on.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";
import Ajv from "ajv";

/** The Dapr CRDs the deployment uses; a missing one fails the check rather than skipping its resources. */
export const DAPR_SCHEMA_FILES = ["components.yaml", "configuration.yaml", "resiliency.yaml", "subscription.yaml"];

export function loadDaprSchemas(root, fail) {
  const schemas = new Map();
  const dir = join(root, "deploy/schemas/dapr");
  if (!existsSync(dir)) {
    fail("schema", "deploy/schemas/dapr", "Dapr's CRD schemas are missing (vendor them from dapr/dapr charts/dapr/crds)");
    return schemas;
  }
  const present = readdirSync(dir);
  for (const file of DAPR_SCHEMA_FILES) {
    if (!present.includes(file)) fail("schema", `deploy/schemas/dapr/${file}`, "Dapr's CRD schema is missing");
  }
  if (!present.includes("NOTICE.md")) fail("schema", "deploy/schemas/dapr/NOTICE.md", "the vendored schemas need their notice (source, commit, licence)");
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false });
  for (const file of present.filter((f) => f.endsWith(".yaml"))) {
    for (const crd of yaml.loadAll(readFileSync(join(dir, file), "utf8"))) {
      if (crd?.kind !== "CustomResourceDefinition") continue;
      for (const version of crd.spec.versions) {
        const schema = version.schema.openAPIV3Schema;
        schemas.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, { validate: ajv.compile(schema), schema });
      }
    }
  }
  return schemas;
}

/** Paths of fields the schema does not declare (structural schemas prune them; strict validation refuses them). */
export function unknownFields(value, schema, path = "") {
  if (!schema || value === null || typeof value !== "object") return [];
  if (Array.isArray(value)) return schema.items ? value.flatMap((v, i) => unknownFields(v, schema.items, `${path}[${i}]`)) : [];
  if (schema["x-kubernetes-preserve-unknown-fields"]) return [];
  if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
    return Object.entries(value).flatMap(([k, v]) => unknownFields(v, schema.additionalProperties, `${path}.${k}`));
  }
  if (!schema.properties) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k in schema.properties ? unknownFields(v, schema.properties[k], `${path}.${k}`) : path === "" && k === "metadata" ? [] : [`${path}.${k}`]);
}

export async function kubernetesModel(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const path = group === "" ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
  try {
    return (await import(path))[kind];
  } catch {
    return undefined;
  }
}

// ---- Operators without an offline CRD schema: the fields the project relies on, with their types. ----

const isInt = (v) => Number.isInteger(v);
const isString = (v) => typeof v === "string" && v.length > 0;
const isQuantity = (v) => typeof v === "string" && /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|m|k|M|G|T)?$/.test(v);

function checkShape(obj, rules, known, where, fail) {
  for (const [path, test, what] of rules) {
    const value = path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);
    if (!test(value)) fail("schema", where, `${path} must be ${what}${value === undefined ? " (missing)" : ` (is ${JSON.stringify(value)})`}`);
  }
  for (const [path, keys] of Object.entries(known)) {
    const value = path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);
    if (value && typeof value === "object" && !Array.isArray(value)) {
      for (const k of Object.keys(value)) if (!keys.includes(k)) fail("schema", where, `${path}.${k} is not a field this project knows for ${obj.kind} (a typo would be pruned by the API server)`);
    }
  }
}

const STRUCTURAL = {
  "postgresql.cnpg.io/v1/Cluster": {
    rules: [
      ["spec.instances", (v) => isInt(v) && v >= 1, "an integer of at least 1"],
      ["spec.imageName", isString, "an image reference"],
      ["spec.storage.size", isQuantity, "a quantity such as 5Gi"],
      ["spec.bootstrap.initdb.database", isString, "the service's database name"],
      ["spec.bootstrap.initdb.owner", isString, "the database owner (the application user)"],
      ["spec.enableSuperuserAccess", (v) => v === false, "false (the services never need the superuser)"],
      ["spec.resources.limits.memory", isQuantity, "a memory limit"],
      ["spec.postgresql.pg_hba", (v) => Array.isArray(v) && v.every((l) => typeof l === "string"), "a list of pg_hba lines"],
    ],
    known: {
      spec: ["instances", "imageName", "enableSuperuserAccess", "bootstrap", "postgresql", "storage", "walStorage", "resources", "affinity", "backup", "plugins", "monitoring", "primaryUpdateStrategy", "primaryUpdateMethod", "description", "minSyncReplicas", "maxSyncReplicas", "startDelay", "stopDelay", "imagePullPolicy", "priorityClassName", "topologySpreadConstraints", "certificates", "managed"],
      "spec.bootstrap": ["initdb", "recovery", "pg_basebackup"],
      "spec.postgresql": ["parameters", "pg_hba", "pg_ident", "synchronous", "shared_preload_libraries"],
      "spec.storage": ["size", "storageClass", "resizeInUseVolumes", "pvcTemplate"],
    },
  },
  "kafka.strimzi.io/v1/Kafka": {
    rules: [
      ["spec.kafka.version", isString, "a Kafka version"],
      ["spec.kafka.listeners", (v) => Array.isArray(v) && v.length > 0 && v.every((l) => isString(l.name) && isInt(l.port) && isString(l.type) && typeof l.tls === "boolean"), "listeners with name, port, type and tls"],
      ["spec.kafka.config", (v) => v && typeof v === "object", "the broker configuration"],
      ["spec.entityOperator.topicOperator", (v) => v && typeof v === "object", "present (topics are declared as KafkaTopic resources)"],
      ["spec.entityOperator.userOperator", (v) => v && typeof v === "object", "present (the sidecars' user is a KafkaUser)"],
    ],
    known: {
      spec: ["kafka", "entityOperator", "cruiseControl", "kafkaExporter", "clientsCa", "clusterCa", "maintenanceTimeWindows"],
      "spec.kafka": ["version", "metadataVersion", "listeners", "authorization", "config", "rack", "template", "logging", "resources"],
    },
  },
  "kafka.strimzi.io/v1/KafkaNodePool": {
    rules: [
      ["spec.replicas", (v) => isInt(v) && v >= 1, "an integer of at least 1"],
      ["spec.roles", (v) => Array.isArray(v) && v.every((r) => r === "controller" || r === "broker"), "controller and/or broker"],
      ["spec.storage.type", isString, "a storage type"],
    ],
    known: { spec: ["replicas", "roles", "storage", "resources", "jvmOptions", "template"] },
  },
  "kafka.strimzi.io/v1/KafkaTopic": {
    rules: [
      ["spec.partitions", (v) => isInt(v) && v >= 1, "an integer of at least 1"],
      ["spec.replicas", (v) => isInt(v) && v >= 1, "an integer of at least 1"],
    ],
    known: { spec: ["topicName", "partitions", "replicas", "config"] },
  },
  "kafka.strimzi.io/v1/KafkaUser": {
    rules: [
      ["spec.authentication.type", isString, "an authentication type"],
      ["spec.authorization.acls", (v) => Array.isArray(v) && v.every((a) => isString(a?.resource?.type) && Array.isArray(a.operations)), "ACL rules with a resource and operations"],
    ],
    known: { spec: ["authentication", "authorization", "quotas", "template"] },
  },
};

export function checkStructural(obj, where, fail) {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const shape = STRUCTURAL[key];
  if (!shape) return false;
  checkShape(obj, shape.rules, shape.known, where, fail);
  if (obj.apiVersion.startsWith("kafka.strimzi.io/") && obj.kind !== "Kafka" && !obj.metadata?.labels?.["strimzi.io/cluster"]) {
    fail("schema", where, "needs the label strimzi.io/cluster naming its Kafka cluster");
  }
  return true;
}

export const OPERATOR_GROUPS = ["postgresql.cnpg.io", "kafka.strimzi.io"];
